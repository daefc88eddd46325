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
from django.utils import timezone, translation
from icalendar import Alarm, Calendar, Event, Timezone

from .models import Deadline, Meeting, Session, SessionKind, SessionStatus

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


def _country_name(code: str) -> str:
    # django-countries looks the name up afresh each time; a feed asks once per session.
    return _country_name_in(code, translation.get_language())


@functools.lru_cache(maxsize=64)
def _country_name_in(code: str, language: str | None) -> str:
    from django_countries import countries

    return str(countries.name(code)) if code else ""


def venue_suffix(meeting: Meeting) -> str:
    """'ALISA Hotel, Accra, Ghana': the meeting's venue, the same for every session."""
    if not meeting.venue_id:
        return ""
    venue = meeting.venue
    parts = [venue.name, venue.city, _country_name(str(venue.country))]
    return ", ".join(part for part in parts if part)


def location_of(meeting: Meeting, session: Session | None = None, venue: str | None = None) -> str:
    """The session's room and the meeting's venue; pass ``venue`` (``venue_suffix``) when
    writing many sessions, to work it out once."""
    venue = venue_suffix(meeting) if venue is None else venue
    room = session.room.name if session is not None and session.room_id else ""
    return ", ".join(part for part in (room, venue) if part)


def meeting_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}/m/{meeting.slug}/agenda/"


_KIND_LABELS = {value: str(label) for value, label in SessionKind.choices}


def people_lines(session: Session) -> list[str]:
    """'Chair: Dr. Ama Mensah' lines from ``session.parts`` (see queries.with_parts)."""
    return [
        f"{part.label}: {part.name}" + (f" ({part.paper_title})" if part.paper_title else "")
        for part in session.parts
    ]


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 asks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (section 3.1)."""
    if line.isascii():
        if len(line) <= 75:
            return line + "\r\n"
        rest = [line[start : start + 74] for start in range(75, len(line), 74)]
        return "\r\n ".join([line[:75], *rest]) + "\r\n"
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _tzid(meeting: Meeting) -> str:
    # Zone names never hold ':;,' but quote them if one ever does (section 3.2).
    zone = meeting.time_zone
    return f'"{zone}"' if any(char in zone for char in ":;,") else zone


def session_event_bytes(
    meeting: Meeting, session: Session, stamp: dt.datetime, *, venue: str | None = None
) -> bytes:
    """One session's VEVENT, serialised directly: feeds cache these and splice them in.

    Written line by line rather than through icalendar's Event, which costs about a
    millisecond per event: a 300-session feed built cold must fit in 40 ms. Tests parse
    the result with icalendar and the strict ``ical`` package. ``session`` may be a Session
    or a ``queries.SessionRow``; ``venue`` is ``venue_suffix(meeting)``, worked out once.
    """
    tzid, zone = _tzid(meeting), meeting.zone
    summary = session.title
    if session.working_group_id:
        summary = f"{session.title} ({session.working_group.name})"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(f'{session.uid}@{UID_DOMAIN}')}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(session.updated_at)}",
        f"SEQUENCE:{session.sequence}",
        f"SUMMARY:{_text(summary)}",
        f"DTSTART;TZID={tzid}:{session.starts_at.astimezone(zone):%Y%m%dT%H%M%S}",
        f"DTEND;TZID={tzid}:{session.ends_at.astimezone(zone):%Y%m%dT%H%M%S}",
    ]
    location = location_of(meeting, session, venue)
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    description = [session.description] if session.description else []
    description += people_lines(session)
    if description:
        lines.append(f"DESCRIPTION:{_text(chr(10).join(description))}")
    cancelled = session.status == SessionStatus.CANCELLED
    lines += [
        f"CATEGORIES:{_text(_KIND_LABELS.get(session.kind, session.kind))}",
        f"URL:{meeting_url(meeting)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"TRANSP:{'TRANSPARENT' if cancelled else 'OPAQUE'}",
        "END:VEVENT",
    ]
    return "".join(_fold(line) for line in lines).encode("utf-8")


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
    events = [deadline_event(meeting, deadline, stamp) for deadline in deadlines]
    events += [flight_event(meeting, flight, stamp) for flight in flights]
    events += [stay_event(meeting, stay, stamp) for stay in stays]
    venue = venue_suffix(meeting)
    serialised = [session_event_bytes(meeting, session, stamp, venue=venue) for session in sessions]
    serialised += [event.to_ical() for event in events]
    return splice_events(calendar_shell(meeting, name), serialised)


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
