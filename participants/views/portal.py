"""The participant's own page for a meeting: what is done and what is still owed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agenda import queries as agenda_queries

from .. import portal
from ..models import SEAT_HOLDING_STATUSES, Participant
from ..programme import services as programme


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
    if participant.status in SEAT_HOLDING_STATUSES:
        programme.ensure_calendar_token(participant=participant)
    return render(
        request,
        "participants/portal.html",
        {
            "participant": participant,
            "meeting": participant.meeting,
            "steps": portal.checklist(participant),
            "working_group": agenda_queries.working_group_for(participant),
            "has_seat": participant.status in SEAT_HOLDING_STATUSES,
            "registration_closes_at": participant.meeting.local(
                portal.registration_closes_at(participant.meeting)
            ),
        },
    )


@login_required
@require_POST
def reset_calendar_link(request, slug: str):
    """Revoke the personal feed URL (e.g. after sharing it by mistake) and issue a new one."""
    participant = own_participant(request, slug)
    programme.revoke_calendar_token(participant=participant)
    messages.success(
        request,
        "Your calendar link was replaced; calendars subscribed to the old link stop updating.",
    )
    return redirect("participant:portal", slug=slug)
