"""The calendar feeds as bytes: the meeting's and groups' feeds cached per meeting version.

Every programme change bumps ``Meeting.version`` (see ``agenda.services``), so a key
holding the version is never stale: a new version simply misses the cache.
"""

from django.core.cache import cache

from . import queries
from .calendars import programme_calendar
from .models import Meeting, WorkingGroup

CACHE_SECONDS = 60 * 60 * 24


def _key(meeting: Meeting, part: str = "") -> str:
    # created_at tells apart a meeting re-created with the same id (a restored database).
    return f"agenda:feed:{meeting.pk}:{meeting.created_at.timestamp():.6f}:{part}v{meeting.version}"


def meeting_feed(meeting: Meeting) -> bytes:
    """The whole programme; built once per meeting version."""
    key = _key(meeting)
    feed = cache.get(key)
    if feed is None:
        feed = programme_calendar(meeting, queries.programme_sessions(meeting), name=str(meeting))
        cache.set(key, feed, CACHE_SECONDS)
    return feed


def group_feed(meeting: Meeting, group: WorkingGroup) -> bytes:
    """A working group's sessions and the plenaries; built once per meeting version."""
    key = _key(meeting, f"g{group.pk}:")
    feed = cache.get(key)
    if feed is None:
        feed = programme_calendar(
            meeting, queries.group_sessions(meeting, group), name=f"{meeting}: {group.name}"
        )
        cache.set(key, feed, CACHE_SECONDS)
    return feed


def personal_feed(participant) -> bytes:
    """A participant's own calendar: never cached, it holds their deadlines and travel."""
    meeting = participant.meeting
    stays, flights = queries.travel_for(participant)
    return programme_calendar(
        meeting,
        queries.personal_sessions(participant),
        name=f"{meeting}: my agenda",
        deadlines=queries.deadlines_for(participant),
        stays=stays,
        flights=flights,
    )
