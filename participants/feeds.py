"""A participant's personal calendar feed: their sessions, deadlines, flights and hotel.

The sessions' events come from the programme's cache (``agenda.feeds``); flights and the
hotel stay are contributed by other apps (``participants.contributions``).
"""

import datetime as dt

from django.utils import timezone

from agenda import feeds as agenda_feeds
from agenda import queries as agenda_queries
from agenda.calendars import Flight, Stay

from . import contributions
from .models import Participant


class PersonalFeed:
    """A participant's own calendar: the meeting, their sessions, deadlines and travel;
    private, and not cached whole (it is one person's)."""

    public = False

    def __init__(self, participant: Participant, *, now: dt.datetime | None = None) -> None:
        self.participant = participant
        self.meeting = participant.meeting
        self.now = now or timezone.now()
        self.stamps = agenda_queries.programme_stamps(self.meeting)
        self.sessions = agenda_queries.personal_sessions(participant)
        self.deadlines = agenda_queries.deadlines_for(participant)
        events = contributions.personal_events(participant)
        self.stays = [event for event in events if isinstance(event, Stay)]
        self.flights = [event for event in events if isinstance(event, Flight)]

    @property
    def freshness(self) -> agenda_feeds.Freshness:
        participant, meeting = self.participant, self.meeting
        rows = list(self.sessions.values_list("pk", "sequence", "updated_at"))
        deadlines = [
            (deadline.pk, deadline.sequence, deadline.due_at, deadline.updated_at)
            for deadline in self.deadlines
        ]
        moments = agenda_feeds.stamp_moments(self.stamps)
        moments += [updated_at for _, _, updated_at in rows]
        moments += [deadline.updated_at for deadline in self.deadlines]
        moments.append(participant.updated_at)
        moments += [event.updated_at for event in [*self.stays, *self.flights]]
        parts = [
            agenda_queries.programme_fingerprint(meeting, self.stamps),
            participant.pk,
            rows,
            deadlines,
            self.stays,
            self.flights,
        ]
        return agenda_feeds.feed_freshness(meeting, self.now, parts, moments)

    def content(self) -> bytes:
        meeting = self.meeting
        return agenda_feeds.assemble(
            meeting,
            self.sessions,
            name=f"{meeting}: my agenda",
            stamps=self.stamps,
            with_meeting=True,
            deadlines=self.deadlines,
            stays=self.stays,
            flights=self.flights,
            refresh=meeting.feed_refresh(self.now),
            stamp=self.now,
        )


def personal_feed(participant: Participant) -> bytes:
    """A participant's own calendar: the meeting, their sessions, deadlines and travel."""
    return PersonalFeed(participant).content()
