"""The calendar feeds as bytes, serialised as little as possible and never stale.

Two layers of cache:
- each session's VEVENT, kept in one per-meeting store and reused while the session's
  SEQUENCE and ``updated_at`` (and the meeting's ``updated_at``) are unchanged: every
  change through ``agenda.services`` raises SEQUENCE, so an edit rebuilds one event;
- the meeting's and groups' whole feeds, keyed by ``Meeting.version`` (which every
  programme change bumps) and the sessions' latest edit: a change simply misses the cache.
Personal feeds (``participants.feeds``) reuse the session events and add the person's
deadlines and travel.

Each feed also has a ``Freshness``: an ETag and Last-Modified worked out from what the feed
is made of, without building it, so a client polling an unchanged feed gets 304 cheaply.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from . import queries
from .calendars import programme_calendar, session_event_bytes, splice_events, venue_suffix
from .models import Meeting, Session, WorkingGroup

CACHE_SECONDS = 60 * 60 * 24
# Part of every ETag: raise it when the bytes a feed is written as change, so clients that
# hold the old form fetch the new one.
FEED_FORMAT = 2


@dataclass(frozen=True)
class Freshness:
    """What a conditional GET compares, and how long a copy may be kept."""

    etag: str  # quoted, weak: equal feeds may differ in DTSTAMP
    last_modified: dt.datetime
    refresh: dt.timedelta

    @property
    def max_age(self) -> int:
        return int(self.refresh.total_seconds())


def feed_freshness(meeting: Meeting, now: dt.datetime, parts: list, moments: list) -> Freshness:
    refresh = meeting.feed_refresh(now)
    # The refresh interval written in the feed changes when the meeting's busy days begin
    # and end, with no row edited: those instants count as edits.
    moments = [*moments, meeting.created_at]
    moments += [edge for edge in meeting.busy_window if edge <= now]
    fingerprint = "|".join(
        str(part) for part in [FEED_FORMAT, settings.SITE_URL, refresh.total_seconds(), *parts]
    )
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    return Freshness(
        etag=f'W/"{digest}"',
        last_modified=max(moment for moment in moments if moment),
        refresh=refresh,
    )


def stamp_moments(stamps: dict) -> list[dt.datetime]:
    return [
        dt.datetime.fromtimestamp(stamps[name], dt.UTC)
        for name in ("updated_at", "latest", "people", "papers")
        if stamps.get(name)
    ]


def _meeting_key(meeting: Meeting) -> str:
    # created_at tells apart a meeting re-created with the same id (a restored database).
    return f"agenda:{meeting.pk}:{meeting.created_at.timestamp():.6f}"


def _feed_key(meeting: Meeting, part: str, stamps: dict, refresh: dt.timedelta) -> str:
    fingerprint = queries.programme_fingerprint(meeting, stamps)
    return f"agenda:feed:{part}:{fingerprint}:{int(refresh.total_seconds())}"


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


class ProgrammeFeed:
    """The whole programme, or a working group's sessions and the plenaries; public."""

    public = True

    def __init__(
        self, meeting: Meeting, group: WorkingGroup | None = None, *, now: dt.datetime | None = None
    ) -> None:
        self.meeting, self.group = meeting, group
        self.now = now or timezone.now()
        self.stamps = queries.programme_stamps(meeting)

    @property
    def freshness(self) -> Freshness:
        return feed_freshness(
            self.meeting,
            self.now,
            [
                queries.programme_fingerprint(self.meeting, self.stamps),
                self.group and self.group.pk,
            ],
            stamp_moments(self.stamps),
        )

    def content(self) -> bytes:
        """One cache read per request while the programme stands."""
        meeting, group = self.meeting, self.group
        refresh = meeting.feed_refresh(self.now)
        key = _feed_key(meeting, f"g{group.pk}" if group else "all", self.stamps, refresh)
        feed = cache.get(key)
        if feed is None:
            if group is None:
                sessions, name = queries.programme_sessions(meeting), str(meeting)
            else:
                sessions = queries.group_sessions(meeting, group)
                name = f"{meeting}: {group.name}"
            feed = assemble(
                meeting, sessions, name=name, stamps=self.stamps, refresh=refresh, stamp=self.now
            )
            cache.set(key, feed, CACHE_SECONDS)
        return feed


def meeting_feed(meeting: Meeting) -> bytes:
    """The whole programme."""
    return ProgrammeFeed(meeting).content()


def group_feed(meeting: Meeting, group: WorkingGroup) -> bytes:
    """A working group's sessions and the plenaries."""
    return ProgrammeFeed(meeting, group).content()
