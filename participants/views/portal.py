"""The participant's own page for a meeting: what is done and what is still owed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .. import portal
from ..models import Participant


def own_participant(request, slug: str) -> Participant:
    """The signed-in user's participation in this meeting; 404 if they have none."""
    return get_object_or_404(
        Participant.objects.select_related("meeting", "meeting__venue").prefetch_related(
            "meeting__deadlines"
        ),
        meeting__slug=slug,
        user=request.user,
    )


@login_required
def portal_page(request, slug: str):
    participant = own_participant(request, slug)
    return render(
        request,
        "participants/portal.html",
        {
            "participant": participant,
            "meeting": participant.meeting,
            "steps": portal.checklist(participant),
            "registration_closes_at": participant.meeting.local(
                portal.registration_closes_at(participant.meeting)
            ),
        },
    )
