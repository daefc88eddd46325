"""The paper's step in the participant's checklist."""

from django.urls import reverse

from ..models import SEAT_HOLDING_STATUSES, Paper, Participant, ReviewStatus, Status
from ..portal import Step, StepState
from .queries import paper_window


def paper_steps(participant: Participant) -> list[Step]:
    """The paper (order 50): owed, received, to revise, or not needed."""
    return [Step("paper", "Paper", *_paper_state(participant), order=50)]


def _paper_state(participant: Participant) -> tuple[str, str, str]:
    """(state, detail, url) of the paper step."""
    if participant.status not in SEAT_HOLDING_STATUSES:
        return StepState.NOT_APPLICABLE, "", ""
    paper = (
        Paper.objects.filter(participant=participant)
        .only("current_version", "review_status")
        .first()
    )
    submitted = paper is not None and paper.current_version_id is not None
    if not (participant.owes_paper or submitted):
        return StepState.NOT_APPLICABLE, "", ""
    meeting = participant.meeting
    window = paper_window(meeting)
    due = ""
    if window.due_at:
        # Capitalise the first letter only: the month and the zone keep their capitals.
        due_text = window.due_text(meeting)
        due = f" {due_text[:1].upper()}{due_text[1:]} ({window.time_left})."
    can_upload = participant.status in (Status.REGISTERED, Status.ATTENDED)
    url = reverse("papers:submit", kwargs={"slug": meeting.slug}) if submitted or can_upload else ""
    pages = f"A paper of {meeting.paper_min_pages}-{meeting.paper_max_pages} pages.{due}"
    if submitted and paper.review_status == ReviewStatus.NEEDS_REVISION:
        detail = "The organisers ask for a revision: read their note and upload a new version."
        return StepState.OWED, detail, url
    if submitted:
        detail = (
            f"Your paper has been received (review: {paper.get_review_status_display()}); "
            "you can upload a new version."
        )
        return StepState.DONE, detail, url
    if can_upload:
        return StepState.OWED, pages, url
    return StepState.LATER, f"{pages} Uploads open once you have registered.", url
