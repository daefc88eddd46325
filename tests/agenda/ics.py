"""Checks every feed test shares: both parsers accept it, lines are folded, CRLF ends them."""

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar


def parse(content: bytes) -> Calendar:
    """Parse with icalendar (no errors recorded) and with the strict ``ical`` package."""
    calendar = Calendar.from_ical(content)
    errors = [
        (component.name, component.errors) for component in calendar.walk() if component.errors
    ]
    assert errors == []
    IcsCalendarStream.calendar_from_ics(content.decode("utf-8"))
    return calendar


def long_lines(content: bytes) -> list[bytes]:
    return [line for line in content.split(b"\r\n") if len(line) > 75]


def bare_newlines(content: bytes) -> int:
    return content.replace(b"\r\n", b"").count(b"\n")


def events_by_summary(calendar: Calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
