"""A participant's personal calendar feed: their sessions, deadlines, flights and hotel.

The sessions' events come from the programme's cache (``agenda.feeds``); flights and the
hotel stay are contributed by other apps (``participants.contributions``).
"""

from agenda import feeds as agenda_feeds
from agenda import queries as agenda_queries
from agenda.calendars import Flight, Stay

from . import contributions
from .models import Participant


def personal_feed(participant: Participant) -> bytes:
    """A participant's own calendar: their sessions, deadlines and travel; not cached whole."""
    meeting = participant.meeting
    events = contributions.personal_events(participant)
    return agenda_feeds.assemble(
        meeting,
        agenda_queries.personal_sessions(participant),
        name=f"{meeting}: my agenda",
        deadlines=agenda_queries.deadlines_for(participant),
        stays=[event for event in events if isinstance(event, Stay)],
        flights=[event for event in events if isinstance(event, Flight)],
    )
