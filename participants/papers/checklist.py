"""The paper's step in the participant's checklist."""

from django.urls import reverse

from ..models import SEAT_HOLDING_STATUSES, Paper, Participant, ReviewStatus, Status
from ..portal import Step, StepState
from .queries import paper_window


def paper_steps(participant: Participant) -> list[Step]:
    """The paper (order 50): owed, received, to revise, or not needed."""
    meeting = participant.meeting
    slug = meeting.slug
    status = participant.status
    attending = status in SEAT_HOLDING_STATUSES
    steps = []
    paper = (
        Paper.objects.filter(participant=participant)
        .only("current_version", "review_status")
        .first()
        if attending
        else None
    )
    submitted = paper is not None and paper.current_version_id is not None
    if not attending or not (participant.owes_paper or submitted):
        steps.append(Step("paper", "Paper", StepState.NOT_APPLICABLE, order=50))
    else:
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
        steps.append(Step("paper", "Paper", state, detail, url, order=50))
    return steps
