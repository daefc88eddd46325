"""The calendar feeds as bytes, serialised as little as possible and never stale.

Two layers of cache:
- each session's VEVENT, kept in one per-meeting store and reused while the session's
  SEQUENCE and ``updated_at`` (and the meeting's ``updated_at``) are unchanged: every
  change through ``agenda.services`` raises SEQUENCE, so an edit rebuilds one event;
- the meeting's and groups' whole feeds, keyed by ``Meeting.version`` (which every
  programme change bumps) and the sessions' latest edit: a change simply misses the cache.
Personal feeds (``participants.feeds``) reuse the session events and add the person's
deadlines and travel.
"""

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from . import queries
from .calendars import programme_calendar, session_event_bytes, splice_events, venue_suffix
from .models import Meeting, Session, WorkingGroup

CACHE_SECONDS = 60 * 60 * 24


def _meeting_key(meeting: Meeting) -> str:
    # created_at tells apart a meeting re-created with the same id (a restored database).
    return f"agenda:{meeting.pk}:{meeting.created_at.timestamp():.6f}"


def _feed_key(meeting: Meeting, part: str, stamps: dict) -> str:
    return f"agenda:feed:{part}:{queries.programme_fingerprint(meeting, stamps)}"


def session_events(
    meeting: Meeting, sessions: QuerySet[Session], stamps: dict | None = None
) -> list[bytes]:
    """Serialised VEVENTs of ``sessions`` in their order, rebuilt only where changed.

    An event also shows the meeting's venue, and people's names and paper titles: an edit
    to any of those (``stamps``, from ``queries.programme_stamps``) rebuilds them all.
    """
    stamps = stamps or queries.programme_stamps(meeting)
    store_key = f"{_meeting_key(meeting)}:events"
    meeting_stamp = (stamps["updated_at"], stamps["people"], stamps["papers"])
    store = cache.get(store_key)
    if not store:
        # Nothing kept yet: one pass over the full query builds every event.
        now, venue = timezone.now(), venue_suffix(meeting)
        store, order = {}, []
        for session in queries.session_rows(sessions):
            stamp = (session.sequence, session.updated_at.timestamp(), meeting_stamp)
            store[session.pk] = (stamp, session_event_bytes(meeting, session, now, venue=venue))
            order.append(session.pk)
        cache.set(store_key, store, CACHE_SECONDS)
        return [store[pk][1] for pk in order]
    rows = list(sessions.values_list("pk", "sequence", "updated_at"))
    wanted = {
        pk: (sequence, updated_at.timestamp(), meeting_stamp) for pk, sequence, updated_at in rows
    }
    missing = [pk for pk, stamp in wanted.items() if store.get(pk, (None,))[0] != stamp]
    if missing:
        now, venue = timezone.now(), venue_suffix(meeting)
        for session in queries.session_rows(sessions.filter(pk__in=missing)):
            stamp = (session.sequence, session.updated_at.timestamp(), meeting_stamp)
            store[session.pk] = (stamp, session_event_bytes(meeting, session, now, venue=venue))
        # A concurrent writer may win, which costs a rebuild only.
        cache.set(store_key, store, CACHE_SECONDS)
    return [store[pk][1] for pk, _, _ in rows if pk in store]


def assemble(
    meeting: Meeting,
    sessions: QuerySet[Session],
    *,
    name: str,
    stamps: dict | None = None,
    **extra,
) -> bytes:
    header = programme_calendar(meeting, (), name=name, **extra)
    return splice_events(header, session_events(meeting, sessions, stamps))


def meeting_feed(meeting: Meeting) -> bytes:
    """The whole programme; one cache read per request while the programme stands."""
    stamps = queries.programme_stamps(meeting)
    key = _feed_key(meeting, "all", stamps)
    feed = cache.get(key)
    if feed is None:
        feed = assemble(
            meeting, queries.programme_sessions(meeting), name=str(meeting), stamps=stamps
        )
        cache.set(key, feed, CACHE_SECONDS)
    return feed


def group_feed(meeting: Meeting, group: WorkingGroup) -> bytes:
    """A working group's sessions and the plenaries."""
    stamps = queries.programme_stamps(meeting)
    key = _feed_key(meeting, f"g{group.pk}", stamps)
    feed = cache.get(key)
    if feed is None:
        feed = assemble(
            meeting,
            queries.group_sessions(meeting, group),
            name=f"{meeting}: {group.name}",
            stamps=stamps,
        )
        cache.set(key, feed, CACHE_SECONDS)
    return feed
