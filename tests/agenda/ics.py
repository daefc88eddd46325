"""Checks every feed test shares: the parsers accept it, lines are folded, CRLF ends them."""

import json
import shutil
import subprocess

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from tests.conftest import CALENDAR_CLIENTS


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


def read_with_icaljs(content: bytes) -> dict:
    """The calendar as Thunderbird's parser (ical.js, under Node) reads it: its name, METHOD
    and each event's UID, SUMMARY, STATUS, SEQUENCE and UTC start and end (None when the
    event has neither DTEND nor DURATION). Tests using it carry ``pytest.mark.icaljs``."""
    node = shutil.which("node")
    assert node is not None, "node is not installed"
    result = subprocess.run(  # noqa: S603 - our own script, the feed on stdin
        [node, str(CALENDAR_CLIENTS / "read_ics.mjs")],
        input=content,
        capture_output=True,
        cwd=CALENDAR_CLIENTS,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)
