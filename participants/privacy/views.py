"""The participant's data page (download it, ask for its deletion) and the organiser's
confirmation of a deletion request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agenda.access import organiser_required

from ..models import DeletionRequest, Participant
from ..views.portal import own_participant
from . import download, erasure, retention


@never_cache
@login_required
def my_data(request, slug: str):
    participant = own_participant(request, slug)
    return render(
        request,
        "participants/privacy/my_data.html",
        {
            "participant": participant,
            "meeting": participant.meeting,
            "deletion_request": DeletionRequest.objects.filter(participant=participant).first(),
            "deletion_on": retention.deletion_date(participant.meeting),
        },
    )


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def my_data_json(request, slug: str):
    participant = own_participant(request, slug)
    return _attachment(
        download.as_json(download.personal_data(participant)),
        content_type="application/json",
        filename=f"{slug}-my-data.json",
    )


@never_cache
@login_required
def my_data_pdf(request, slug: str):
    participant = own_participant(request, slug)
    return _attachment(
        download.as_pdf(
            download.personal_data(participant),
            title=f"Your data: {participant.meeting.title}",
        ),
        content_type="application/pdf",
        filename=f"{slug}-my-data.pdf",
    )


@require_POST
@login_required
def request_deletion(request, slug: str):
    participant = own_participant(request, slug)
    erasure.request_deletion(participant=participant, by=request.user)
    messages.success(
        request,
        "Your request is recorded; the organisers will confirm it and your data will be deleted.",
    )
    return redirect("participant:my_data", slug=slug)


@require_POST
@organiser_required
def confirm_deletion(request, meeting, pk: int):
    participant = get_object_or_404(Participant, meeting=meeting, pk=pk)
    try:
        erasure.confirm_deletion(participant=participant, confirmed_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The participant's personal data has been deleted.")
    return redirect("participant:organise_participant", slug=meeting.slug, pk=pk)
