"""What a participant has done and still owes, and the dates that govern it (reads only)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from agenda.models import Deadline, DeadlineKind, Meeting

from . import contributions
from .models import Participant


def deadline(meeting: Meeting, kind: str) -> Deadline | None:
    # Deadlines are usually prefetched on the meeting; filter in Python to reuse them.
    for item in meeting.deadlines.all():
        if item.kind == kind:
            return item
    return None


def registration_closes_at(meeting: Meeting) -> dt.datetime:
    """The registration deadline, or the meeting's start when none is set."""
    found = deadline(meeting, DeadlineKind.REGISTRATION)
    return found.due_at if found else meeting.starts_at


def registration_open(meeting: Meeting, at: dt.datetime | None = None) -> bool:
    return (at or timezone.now()) <= registration_closes_at(meeting)


def passport_valid_until_required(meeting: Meeting) -> dt.date:
    """A passport must stay valid at least six months after the meeting's last day."""
    end = meeting.ends_on
    month = end.month + 6
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    # Clamp the day for shorter months (31 August + 6 months -> 28/29 February).
    for day in (end.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class StepState:
    DONE = "done"
    OWED = "owed"
    NOT_APPLICABLE = "not_applicable"
    LATER = "later"


STATE_LABELS = {
    StepState.DONE: "Done",
    StepState.OWED: "To do",
    StepState.NOT_APPLICABLE: "Not needed",
    StepState.LATER: "Opens later",
}


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str
    detail: str = ""
    url: str = ""
    #: Place in the checklist: respond 10, register 20, visa 30, travel 40, paper 50.
    order: int = 0

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def checklist(participant: Participant) -> list[Step]:
    """The portal's steps: respond, register, visa letter, travel, hotel, paper.

    Each app contributes its own steps (``participants.contributions``); steps whose pages
    do not exist yet are shown as opening later, never as dead links.
    """
    return contributions.checklist_steps(participant)
