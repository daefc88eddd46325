"""iCalendar (RFC 5545) builders: data in, bytes out, no HTTP.

Every time is written as local time with ``TZID=<meeting zone>`` and the calendar carries
the matching VTIMEZONE, so clients show the meeting's wall-clock times on both sides of a
daylight-saving change. Nothing personal goes in beyond names and parts in sessions.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Timezone

from .models import Deadline, Meeting, Session, SessionStatus

PRODID = "-//EGM Desk//Meeting calendar//EN"
UID_DOMAIN = "egm-desk"
# Deadline reminders: a week before and a day before.
DEADLINE_ALARMS = (dt.timedelta(days=7), dt.timedelta(days=1))


@dataclass(frozen=True)
class Stay:
    """A hotel stay, reduced to what a calendar shows."""

    participant_id: int
    hotel: str
    check_in: dt.date
    check_out: dt.date


@dataclass(frozen=True)
class Flight:
    """One flight of a travel plan, reduced to what a calendar shows."""

    participant_id: int
    direction: str  # "arrival" or "departure"
    flight: str
    at: dt.datetime


def new_calendar(name: str, *, method: str = "PUBLISH") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    return Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
    )


def add_timezone(calendar: Calendar, meeting: Meeting) -> None:
    """The meeting zone's VTIMEZONE, covering the year before to the year after the meeting."""
    calendar.add_component(
        _vtimezone(meeting.time_zone, meeting.starts_on.year - 1, meeting.ends_on.year + 1)
    )


def _local(meeting: Meeting, moment: dt.datetime) -> dt.datetime:
    """Wall-clock time in the meeting's zone, without tzinfo: written with TZID=."""
    return timezone.localtime(moment, meeting.zone).replace(tzinfo=None)


def _add_local(event: Event, name: str, meeting: Meeting, moment: dt.datetime) -> None:
    event.add(name, _local(meeting, moment), parameters={"TZID": meeting.time_zone})


def location_of(meeting: Meeting, session: Session | None = None) -> str:
    parts = []
    if session is not None and session.room_id:
        parts.append(session.room.name)
    if meeting.venue_id:
        parts += [meeting.venue.name, meeting.venue.city, str(meeting.venue.country.name)]
    return ", ".join(part for part in parts if part)


def meeting_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}/m/{meeting.slug}/agenda/"


def people_lines(session: Session) -> list[str]:
    """'Chair: Dr. Ama Mensah' lines from prefetched ``session.people``: names and parts only."""
    lines = []
    for role in session.people.all():
        line = f"{role.get_part_display()}: {role.participant.formal_name}"
        if role.paper_id:
            line += f" ({role.paper.title})"
        lines.append(line)
    return lines


def session_event(meeting: Meeting, session: Session, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{session.uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("last-modified", session.updated_at)
    event.add("sequence", session.sequence)
    summary = session.title
    if session.working_group_id:
        summary = f"{session.title} ({session.working_group.name})"
    event.add("summary", summary)
    _add_local(event, "dtstart", meeting, session.starts_at)
    _add_local(event, "dtend", meeting, session.ends_at)
    location = location_of(meeting, session)
    if location:
        event.add("location", location)
    description = [session.description] if session.description else []
    description += people_lines(session)
    if description:
        event.add("description", "\n".join(description))
    event.add("categories", [session.get_kind_display()])
    event.add("url", meeting_url(meeting))
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def deadline_event(meeting: Meeting, deadline: Deadline, stamp: dt.datetime) -> Event:
    """A deadline as a short event ending at the due time, with DISPLAY reminders before it."""
    event = Event()
    event.add("uid", f"deadline-{deadline.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", 0)
    title = deadline.description or f"{deadline.get_kind_display()} due"
    event.add("summary", f"{title} ({meeting})")
    # Start and end at the due time: a zero-length event, as clients show deadlines.
    _add_local(event, "dtstart", meeting, deadline.due_at)
    _add_local(event, "dtend", meeting, deadline.due_at)
    event.add("url", meeting_url(meeting))
    event.add("transp", "TRANSPARENT")
    for before in DEADLINE_ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -before)
        alarm.add("description", f"{title}: {meeting}")
        event.add_component(alarm)
    return event


def stay_event(meeting: Meeting, stay: Stay, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"stay-{stay.participant_id}-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", f"Hotel stay: {stay.hotel}" if stay.hotel else "Hotel stay")
    event.add("dtstart", stay.check_in)
    event.add("dtend", stay.check_out)
    if stay.hotel:
        event.add("location", stay.hotel)
    event.add("transp", "TRANSPARENT")
    return event


def flight_event(meeting: Meeting, flight: Flight, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{flight.direction}-{flight.participant_id}-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    label = "Arrival" if flight.direction == "arrival" else "Departure"
    event.add("summary", f"{label}: flight {flight.flight}" if flight.flight else label)
    _add_local(event, "dtstart", meeting, flight.at)
    _add_local(event, "dtend", meeting, flight.at + dt.timedelta(minutes=30))
    return event


@functools.lru_cache(maxsize=256)
def _shell(name: str, tzid: str, first_year: int, last_year: int) -> bytes:
    calendar = new_calendar(name)
    calendar.add("x-wr-timezone", tzid)
    calendar.add_component(_vtimezone(tzid, first_year, last_year))
    return calendar.to_ical()


def calendar_shell(meeting: Meeting, name: str) -> bytes:
    """An empty calendar with the meeting zone's VTIMEZONE; serialised once per process."""
    return _shell(name, meeting.time_zone, meeting.starts_on.year - 1, meeting.ends_on.year + 1)


def programme_calendar(
    meeting: Meeting,
    sessions: Iterable[Session],
    *,
    name: str,
    deadlines: Iterable[Deadline] = (),
    stays: Iterable[Stay] = (),
    flights: Iterable[Flight] = (),
    stamp: dt.datetime | None = None,
) -> bytes:
    """A calendar of sessions (people prefetched), and optionally deadlines and travel."""
    stamp = stamp or timezone.now()
    events = [session_event(meeting, session, stamp) for session in sessions]
    events += [deadline_event(meeting, deadline, stamp) for deadline in deadlines]
    events += [flight_event(meeting, flight, stamp) for flight in flights]
    events += [stay_event(meeting, stay, stamp) for stay in stays]
    return splice_events(calendar_shell(meeting, name), [event.to_ical() for event in events])


def session_event_bytes(meeting: Meeting, session: Session, stamp: dt.datetime) -> bytes:
    """One session's VEVENT, serialised: feeds cache these and splice them in."""
    return session_event(meeting, session, stamp).to_ical()


def splice_events(calendar: bytes, events: Iterable[bytes]) -> bytes:
    """Insert serialised VEVENTs before the calendar's closing line."""
    end = b"END:VCALENDAR\r\n"
    if not calendar.endswith(end):
        raise ValueError("Not a serialised VCALENDAR.")
    return b"".join([calendar[: -len(end)], *events, end])


def meeting_event(meeting: Meeting, stamp) -> Event:
    """The meeting as one all-day event spanning its dates (attached to invitations)."""
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.version)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_on)
    event.add("dtend", meeting.ends_on + dt.timedelta(days=1))
    event.add("location", location_of(meeting))
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add("transp", "TRANSPARENT")
    return event


def meeting_calendar(meeting: Meeting) -> bytes:
    """The meeting as an all-day event, for invitations: 'keep these dates free'."""
    calendar = new_calendar(str(meeting))
    calendar.add_component(meeting_event(meeting, timezone.now()))
    return calendar.to_ical()
