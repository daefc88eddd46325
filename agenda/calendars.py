"""iCalendar (RFC 5545) builders: data in, bytes out, no HTTP."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting, Session, SessionStatus

PRODID = "-//EGM Desk//Meeting calendar//EN"


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def location_of(meeting: Meeting, session: Session | None = None) -> str:
    parts = []
    if session is not None and session.room_id:
        parts.append(session.room.name)
    if meeting.venue_id:
        parts += [meeting.venue.name, meeting.venue.city, str(meeting.venue.country.name)]
    return ", ".join(part for part in parts if part)


def session_event(meeting: Meeting, session: Session, stamp) -> Event:
    event = Event()
    event.add("uid", f"{session.uid}@egm-desk")
    event.add("dtstamp", stamp)
    event.add("sequence", session.sequence)
    event.add("summary", session.title)
    event.add("dtstart", meeting.local(session.starts_at))
    event.add("dtend", meeting.local(session.ends_at))
    event.add("location", location_of(meeting, session))
    if session.description:
        event.add("description", session.description)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add(
        "status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED"
    )
    return event


def meeting_event(meeting: Meeting, stamp) -> Event:
    """The meeting as one all-day event spanning its dates (attached to invitations)."""
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@egm-desk")
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
