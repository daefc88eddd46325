"""Read-side queries of the programme, shared by pages, feeds and reminders."""

import datetime as dt
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from .models import Deadline, Meeting, Session


def published_meetings():
    return Meeting.objects.filter(is_published=True).select_related("venue")


def get_published_meeting(slug: str) -> Meeting:
    return get_object_or_404(published_meetings(), slug=slug)


def key_dates(meeting: Meeting) -> list[Deadline]:
    """The meeting's deadlines in order, each with ``local_due_at`` in the meeting's zone."""
    deadlines = list(Deadline.objects.filter(meeting=meeting).order_by("due_at"))
    for deadline in deadlines:
        deadline.local_due_at = meeting.local(deadline.due_at)
    return deadlines


@dataclass
class ProgrammeSlot:
    """Sessions that start at the same local time: parallel sessions sit side by side."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    sessions: list[Session] = field(default_factory=list)


@dataclass
class ProgrammeDay:
    day: dt.date
    slots: list[ProgrammeSlot] = field(default_factory=list)


def programme_by_day(meeting: Meeting, sessions=None) -> list[ProgrammeDay]:
    """The meeting's sessions grouped by local day, then by local start time; one query."""
    if sessions is None:
        sessions = Session.objects.filter(meeting=meeting).for_programme()
    days: dict[dt.date, ProgrammeDay] = {}
    for session in sessions:
        starts = meeting.local(session.starts_at)
        session.local_starts_at = starts
        session.local_ends_at = meeting.local(session.ends_at)
        day = days.setdefault(starts.date(), ProgrammeDay(day=starts.date()))
        if day.slots and day.slots[-1].starts_at == starts:
            slot = day.slots[-1]
            slot.ends_at = max(slot.ends_at, session.local_ends_at)
        else:
            slot = ProgrammeSlot(starts_at=starts, ends_at=session.local_ends_at)
            day.slots.append(slot)
        slot.sessions.append(session)
    return sorted(days.values(), key=lambda programme_day: programme_day.day)
