"""iCalendar (RFC 5545) builders: data in, bytes out, no HTTP.

Every time is written as local time with ``TZID=<meeting zone>`` and the calendar carries
the matching VTIMEZONE, so clients show the meeting's wall-clock times on both sides of a
daylight-saving change; a local time the clocks pass twice (or skip) is written in UTC
instead, since clients disagree on which of the two instants it means. Every calendar is
published (``METHOD:PUBLISH``) and every event names the meeting's contact as ORGANIZER.
Nothing personal goes in beyond names and parts in sessions. See docs/calendars.md.
"""

import datetime as dt
import functools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vDuration, vText

from .models import Deadline, DeadlineKind, Meeting, Session, SessionKind, SessionStatus

PRODID = "-//EGM Desk//Meeting calendar//EN"
# Sessions were published with this domain before UIDs moved to SITE_URL's: their UIDs keep
# it, so calendars that imported them update them instead of adding copies.
SESSION_UID_DOMAIN = "egm-desk"
# Deadline reminders: a week before and a day before.
DEADLINE_ALARMS = (dt.timedelta(days=7), dt.timedelta(days=1))
DEADLINE_TITLES = {
    DeadlineKind.PAPER: "Paper due",
    DeadlineKind.REGISTRATION: "Registration due",
    DeadlineKind.VISA_REQUEST: "Visa request due",
    DeadlineKind.TRAVEL_DETAILS: "Travel details due",
}
CANCELLED_PREFIX = "Cancelled: "


@dataclass(frozen=True)
class Stay:
    """A hotel stay, reduced to what a calendar shows."""

    participant_id: int
    hotel: str
    check_in: dt.date
    check_out: dt.date
    uid: uuid.UUID  # HotelBooking.calendar_uid
    # The row's last edit: the personal feed's Last-Modified.
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class Flight:
    """One flight of a travel plan, reduced to what a calendar shows."""

    participant_id: int
    direction: str  # "arrival" or "departure"
    flight: str
    at: dt.datetime
    plan_uid: uuid.UUID  # TravelPlan.calendar_uid: each flight's UID is derived from it
    updated_at: dt.datetime | None = None  # the travel plan's last edit

    @property
    def uid(self) -> uuid.UUID:
        return uuid.uuid5(self.plan_uid, self.direction)


def uid_domain() -> str:
    """The host of SITE_URL: UIDs are 'globally unique' only at a domain that is ours."""
    return urlsplit(settings.SITE_URL).hostname or SESSION_UID_DOMAIN


def uid_for(value: uuid.UUID) -> str:
    return f"{value}@{uid_domain()}"


def session_uid(session: Session) -> str:
    return f"{session.uid}@{SESSION_UID_DOMAIN}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _one_line(value: str) -> str:
    """A value for a parameter or the calendar's name: control characters become spaces."""
    return _CONTROL.sub(" ", value).strip()


def _plain(value: str) -> str:
    """Line breaks in any form become LF, which every writer escapes as \\n."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def organizer(meeting: Meeting) -> tuple[str, str]:
    """(name, address) of the meeting's contact, or the site's sender when it has none."""
    return _organizer(
        meeting.contact_email, meeting.contact_name, meeting.organiser, settings.DEFAULT_FROM_EMAIL
    )


# Worked out once per contact, not once per session: parsing the sender's address was a
# quarter of a 300-session feed.
@functools.lru_cache(maxsize=256)
def _organizer(email: str, contact: str, organiser: str, sender: str) -> tuple[str, str]:
    fallback_name, fallback_address = parseaddr(sender)
    address = _one_line(email or fallback_address)
    name = _one_line(contact or organiser or fallback_name)
    # A parameter value cannot hold DQUOTE (RFC 5545 section 3.1).
    return name.replace('"', "'"), address


def organizer_line(meeting: Meeting) -> str:
    name, address = organizer(meeting)
    if not name:
        return f"ORGANIZER:mailto:{address}"
    quoted = f'"{name}"' if any(char in name for char in ":;,") else name
    return f"ORGANIZER;CN={quoted}:mailto:{address}"


def _add_organizer(event: Event, meeting: Meeting) -> None:
    name, address = organizer(meeting)
    event.add(
        "organizer", vCalAddress(f"mailto:{address}"), parameters={"CN": name} if name else None
    )


def new_calendar(
    name: str, *, method: str = "PUBLISH", refresh: dt.timedelta | None = None
) -> Calendar:
    """An empty calendar; ``refresh`` tells subscribed clients how often to fetch it again
    (REFRESH-INTERVAL of RFC 7986, and X-PUBLISHED-TTL which Apple and Outlook read)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    # vText, not the untyped X- default, which writes a line break in the name raw.
    calendar.add("x-wr-calname", vText(_one_line(name)))
    if refresh is not None:
        calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
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


def is_ambiguous(local: dt.datetime) -> bool:
    """The wall-clock time occurs twice (clocks go back) or never (clocks go forward):
    written with TZID, one client reads one instant and another the other."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def _add_local(event: Event, name: str, meeting: Meeting, moment: dt.datetime) -> None:
    local = timezone.localtime(moment, meeting.zone)
    if is_ambiguous(local):
        event.add(name, moment.astimezone(dt.UTC))
    else:
        event.add(name, local.replace(tzinfo=None), parameters={"TZID": meeting.time_zone})


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


def _time_line(name: str, tzid: str, zone, moment: dt.datetime) -> str:
    """'DTSTART;TZID=Africa/Accra:20091117T090000', or in UTC when the local time is ambiguous."""
    local = moment.astimezone(zone)
    if is_ambiguous(local):
        return f"{name}:{_utc(moment)}"
    return f"{name};TZID={tzid}:{local:%Y%m%dT%H%M%S}"


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
    cancelled = session.status == SessionStatus.CANCELLED
    summary = session.title
    if session.working_group_id:
        summary = f"{session.title} ({session.working_group.name})"
    if cancelled:
        # Google drops STATUS:CANCELLED events from subscriptions and Outlook may show them
        # as normal: the title says it in every client.
        # A session dropped from one person's agenda says so instead (see services).
        summary = getattr(session, "summary_prefix", CANCELLED_PREFIX) + summary
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(session_uid(session))}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(session.updated_at)}",
        f"SEQUENCE:{session.sequence}",
        f"SUMMARY:{_text(summary)}",
        _time_line("DTSTART", tzid, zone, session.starts_at),
        _time_line("DTEND", tzid, zone, session.ends_at),
        organizer_line(meeting),
    ]
    location = location_of(meeting, session, venue)
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    description = [session.description] if session.description else []
    description += people_lines(session)
    if description:
        lines.append(f"DESCRIPTION:{_text(chr(10).join(description))}")
    lines += [
        f"CATEGORIES:{_text(_KIND_LABELS.get(session.kind, session.kind))}",
        f"URL:{meeting_url(meeting)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"TRANSP:{'TRANSPARENT' if cancelled else 'OPAQUE'}",
        "END:VEVENT",
    ]
    return "".join(_fold(line) for line in lines).encode("utf-8")


def deadline_title(meeting: Meeting, deadline: Deadline) -> str:
    """'Paper due: EGM on Social Integration': short, as a calendar's day view has room for."""
    label = DEADLINE_TITLES.get(deadline.kind, f"{deadline.get_kind_display()} due")
    return f"{label}: {meeting}"


def deadline_event(meeting: Meeting, deadline: Deadline, stamp: dt.datetime) -> Event:
    """A deadline as a point in time (DTSTART, no DTEND: RFC 5545 forbids DTEND equal to
    DTSTART), with DISPLAY reminders before it; SEQUENCE rises whenever it moves."""
    event = Event()
    event.add("uid", uid_for(deadline.uid))
    event.add("dtstamp", stamp)
    event.add("last-modified", deadline.updated_at)
    event.add("sequence", deadline.sequence)
    title = deadline_title(meeting, deadline)
    event.add("summary", _plain(title))
    _add_local(event, "dtstart", meeting, deadline.due_at)
    local = meeting.local(deadline.due_at)
    due = f"Due {local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {meeting.zone_label(local)}."
    explanation = deadline.description or f"{deadline.get_kind_display()} for {meeting}."
    event.add("description", _plain(f"{explanation}\n{due}\n{meeting_url(meeting)}"))
    _add_organizer(event, meeting)
    event.add("url", meeting_url(meeting))
    event.add("transp", "TRANSPARENT")
    for before in DEADLINE_ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -before)
        alarm.add("description", _plain(title))
        event.add_component(alarm)
    return event


def stay_event(meeting: Meeting, stay: Stay, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid_for(stay.uid))
    event.add("dtstamp", stamp)
    event.add("summary", _plain(f"Hotel stay: {stay.hotel}" if stay.hotel else "Hotel stay"))
    event.add("dtstart", stay.check_in)
    event.add("dtend", stay.check_out)
    if stay.hotel:
        event.add("location", _plain(stay.hotel))
    _add_organizer(event, meeting)
    event.add("transp", "TRANSPARENT")
    return event


def flight_event(meeting: Meeting, flight: Flight, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid_for(flight.uid))
    event.add("dtstamp", stamp)
    label = "Arrival" if flight.direction == "arrival" else "Departure"
    event.add("summary", _plain(f"{label}: flight {flight.flight}" if flight.flight else label))
    _add_local(event, "dtstart", meeting, flight.at)
    _add_local(event, "dtend", meeting, flight.at + dt.timedelta(minutes=30))
    _add_organizer(event, meeting)
    return event


@functools.lru_cache(maxsize=256)
def _shell(
    name: str, tzid: str, first_year: int, last_year: int, refresh: dt.timedelta | None
) -> bytes:
    calendar = new_calendar(name, refresh=refresh)
    calendar.add("x-wr-timezone", tzid)
    calendar.add_component(_vtimezone(tzid, first_year, last_year))
    return calendar.to_ical()


def calendar_shell(meeting: Meeting, name: str, refresh: dt.timedelta | None = None) -> bytes:
    """An empty calendar with the meeting zone's VTIMEZONE; serialised once per process."""
    return _shell(
        name, meeting.time_zone, meeting.starts_on.year - 1, meeting.ends_on.year + 1, refresh
    )


def programme_calendar(
    meeting: Meeting,
    sessions: Iterable[Session],
    *,
    name: str,
    deadlines: Iterable[Deadline] = (),
    stays: Iterable[Stay] = (),
    flights: Iterable[Flight] = (),
    with_meeting: bool = False,
    stamp: dt.datetime | None = None,
    refresh: dt.timedelta | None = None,
) -> bytes:
    """A calendar of sessions (people prefetched), and optionally the meeting's own all-day
    event, deadlines and travel; ``refresh`` for a feed that clients subscribe to."""
    stamp = stamp or timezone.now()
    events = [meeting_event(meeting, stamp)] if with_meeting else []
    events += [deadline_event(meeting, deadline, stamp) for deadline in deadlines]
    events += [flight_event(meeting, flight, stamp) for flight in flights]
    events += [stay_event(meeting, stay, stamp) for stay in stays]
    venue = venue_suffix(meeting)
    serialised = [session_event_bytes(meeting, session, stamp, venue=venue) for session in sessions]
    serialised += [event.to_ical() for event in events]
    return splice_events(calendar_shell(meeting, name, refresh), serialised)


def splice_events(calendar: bytes, events: Iterable[bytes]) -> bytes:
    """Insert serialised VEVENTs before the calendar's closing line."""
    end = b"END:VCALENDAR\r\n"
    if not calendar.endswith(end):
        raise ValueError("Not a serialised VCALENDAR.")
    return b"".join([calendar[: -len(end)], *events, end])


def meeting_event(meeting: Meeting, stamp) -> Event:
    """The meeting as one all-day event spanning its dates: attached to invitations and in
    the personal feed with the same UID and SEQUENCE, so a calendar holds it once."""
    event = Event()
    event.add("uid", uid_for(meeting.uid))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.version)
    event.add("summary", _plain(meeting.title))
    event.add("dtstart", meeting.starts_on)
    event.add("dtend", meeting.ends_on + dt.timedelta(days=1))
    location = location_of(meeting)
    if location:
        event.add("location", _plain(location))
    _add_organizer(event, meeting)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add("transp", "TRANSPARENT")
    return event


def meeting_calendar(meeting: Meeting) -> bytes:
    """The meeting as an all-day event, for invitations: 'keep these dates free'.

    Published (METHOD:PUBLISH), not a REQUEST with the participant as ATTENDEE: the answer
    to an invitation is given on the site, and docs/calendars.md says why.
    """
    calendar = new_calendar(str(meeting))
    calendar.add_component(meeting_event(meeting, timezone.now()))
    return calendar.to_ical()
