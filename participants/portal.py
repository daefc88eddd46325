"""What a participant has done and still owes, and the dates that govern it (reads only)."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from agenda.models import Deadline, DeadlineKind, Meeting
from logistics import portal as logistics_portal

from .models import SEAT_HOLDING_STATUSES, Paper, Participant, ReviewStatus, Status


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

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def checklist(participant: Participant) -> list[Step]:
    """The portal's steps: respond, register, visa letter, travel, hotel, paper.

    Steps whose pages do not open yet are shown as opening later, never as dead links.
    """
    meeting = participant.meeting
    slug = meeting.slug
    status = participant.status
    attending = status in SEAT_HOLDING_STATUSES
    steps = []

    if status in (Status.NOT_INVITED, Status.INVITED):
        steps.append(
            Step(
                "respond",
                "Answer the invitation",
                StepState.OWED,
                "Use the link in your invitation email to accept or decline.",
            )
        )
    elif status == Status.WAITLISTED:
        steps.append(
            Step(
                "respond",
                "Answer the invitation",
                StepState.DONE,
                "You accepted and are on the waiting list: the meeting is full "
                "for now. The secretariat will write if a place opens.",
            )
        )
    elif status in (Status.DECLINED, Status.CANCELLED):
        steps.append(
            Step(
                "respond",
                "Answer the invitation",
                StepState.DONE,
                f"You are not taking part ({participant.get_status_display()}).",
            )
        )
    else:
        steps.append(Step("respond", "Answer the invitation", StepState.DONE, "You accepted."))

    registration_url = reverse("participant:registration", kwargs={"slug": slug})
    if not attending:
        steps.append(Step("register", "Register", StepState.NOT_APPLICABLE))
    elif status == Status.ACCEPTED:
        steps.append(
            Step(
                "register",
                "Register",
                StepState.OWED,
                "Passport details, needs and consents.",
                registration_url,
            )
        )
    else:
        steps.append(
            Step(
                "register",
                "Register",
                StepState.DONE,
                "You can review your registration.",
                registration_url,
            )
        )

    steps.extend(logistics_portal.checklist_steps(participant))

    paper = (
        Paper.objects.filter(participant=participant)
        .only("current_version", "review_status")
        .first()
        if attending
        else None
    )
    submitted = paper is not None and paper.current_version_id is not None
    if not attending or not (participant.owes_paper or submitted):
        steps.append(Step("paper", "Paper", StepState.NOT_APPLICABLE))
    else:
        from .paper_queries import paper_window

        window = paper_window(meeting)
        due = ""
        if window.due_at:
            # Capitalise the first letter only: the month and the zone keep their capitals.
            due_text = window.due_text(meeting)
            due = f" {due_text[:1].upper()}{due_text[1:]} ({window.time_left})."
        can_upload = status in (Status.REGISTERED, Status.ATTENDED)
        if submitted and paper.review_status == ReviewStatus.NEEDS_REVISION:
            state = StepState.OWED
            detail = "The organisers ask for a revision: read their note and upload a new version."
        elif submitted:
            state = StepState.DONE
            detail = (
                f"Your paper has been received (review: {paper.get_review_status_display()}); "
                "you can upload a new version."
            )
        elif can_upload:
            state = StepState.OWED
            detail = f"A paper of {meeting.paper_min_pages}-{meeting.paper_max_pages} pages.{due}"
        else:
            state = StepState.LATER
            detail = (
                f"A paper of {meeting.paper_min_pages}-{meeting.paper_max_pages} pages.{due}"
                " Uploads open once you have registered."
            )
        url = reverse("papers:submit", kwargs={"slug": slug}) if submitted or can_upload else ""
        steps.append(Step("paper", "Paper", state, detail, url))
    return steps
