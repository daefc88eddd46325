"""The participants app's own checklist steps: answer the invitation, register.

Registered in ``ParticipantsConfig.ready()`` with the paper step; other apps add theirs
(``participants.contributions``).
"""

from dataclasses import replace

from django.urls import reverse

from . import contributions
from .models import SEAT_HOLDING_STATUSES, Participant, Status
from .papers.checklist import paper_steps
from .portal import Step, StepState

ORDER = {"respond": 10, "register": 20}


def respond_and_register_steps(participant: Participant) -> list[Step]:
    """Answering the invitation (order 10) and registering (order 20)."""
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

    return [replace(step, order=ORDER[step.key]) for step in steps]


def register() -> None:
    contributions.register_checklist_steps(respond_and_register_steps)
    contributions.register_checklist_steps(paper_steps)
