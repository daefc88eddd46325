"""Registration pages: the participant's own, and the organiser's view and edit of anyone's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from agenda import audit
from agenda.access import organiser_required

from .. import portal, services
from ..forms import RegistrationForm, StatusForm
from ..models import DeletionRequest, Paper, Participant, Registration, Status
from ..papers import queries as paper_queries
from ..papers.forms import PaperRequestForm
from .portal import own_participant

REGISTERABLE = (Status.ACCEPTED, Status.REGISTERED, Status.ATTENDED)

# Masked in Django's error reports (mail to admins, the debug page) should a save fail.
# Pages that show the passport number are also never kept in a browser or proxy cache
# (``never_cache`` sends Cache-Control: no-store).
_personal_data = sensitive_post_parameters("passport_number", "date_of_birth")


def _registration_of(participant: Participant) -> Registration | None:
    return Registration.objects.filter(participant=participant).first()


def _handle_form(
    request, participant: Participant, *, success_url: str, template: str, extra: dict
):
    """Show the registration form, or save it through the service and redirect."""
    registration = _registration_of(participant)
    meeting = participant.meeting
    own = participant.user_id == request.user.pk
    if request.method == "POST":
        form = RegistrationForm(
            request.POST, instance=registration, meeting=meeting, with_consents=own
        )
        if form.is_valid():
            details = {
                name: form.cleaned_data[name]
                for name in services.REGISTRATION_FIELDS
                if name in form.fields
            }
            try:
                services.register_participant(
                    participant=participant, details=details, by=request.user
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, "Registration saved.")
                return redirect(success_url)
        status = 400
    else:
        initial = {}
        if registration is None:
            # A first registration starts from what the invitation list already knows.
            initial = {
                "passport_name": participant.full_name,
                "nationality": participant.nationality,
                "passport_issuing_country": participant.nationality,
            }
        form = RegistrationForm(
            instance=registration, initial=initial, meeting=meeting, with_consents=own
        )
        status = 200
    return render(
        request,
        template,
        {
            "participant": participant,
            "meeting": meeting,
            "form": form,
            "registration": registration,
            **extra,
        },
        status=status,
    )


@_personal_data
@never_cache
@login_required
def my_registration(request, slug: str):
    participant = own_participant(request, slug)
    if not request.user.has_perm("participants.edit_registration", participant):
        raise PermissionDenied
    meeting = participant.meeting
    context = {
        "registration_closes_at": meeting.local(portal.registration_closes_at(meeting)),
        "zone_label": meeting.zone_label(),
    }
    if participant.status not in REGISTERABLE:
        return render(
            request,
            "participants/registration_unavailable.html",
            {
                "participant": participant,
                "meeting": meeting,
            },
            status=403 if request.method == "POST" else 200,
        )
    if not portal.registration_open(meeting):
        # Past the deadline: read-only for the participant (organisers can still edit).
        return render(
            request,
            "participants/registration_readonly.html",
            {
                "participant": participant,
                "meeting": meeting,
                "registration": _registration_of(participant),
                **context,
            },
            status=403 if request.method == "POST" else 200,
        )
    return _handle_form(
        request,
        participant,
        success_url=reverse("participant:portal", kwargs={"slug": slug}),
        template="participants/registration_form.html",
        extra=context,
    )


def _meeting_participant(meeting, pk: int) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("meeting", "user").prefetch_related(
            "meeting__deadlines"
        ),
        meeting=meeting,
        pk=pk,
    )


@never_cache
@organiser_required
def participant_detail(request, meeting, pk: int):
    """Organisers: one participant, their timeline and their registration."""
    participant = _meeting_participant(meeting, pk)
    timeline = participant.status_changes.select_related("changed_by")
    return render(
        request,
        "participants/organise_participant.html",
        {
            "meeting": meeting,
            "participant": participant,
            "timeline": timeline,
            "registration": _registration_of(participant),
            "status_form": StatusForm(participant=participant),
            "can_register": participant.status in REGISTERABLE,
            "paper": paper_queries.paper_of(participant),
            "paper_request_form": PaperRequestForm(participant=participant),
            "history": audit.entries(
                participant.history.all(),
                Registration.history.filter(participant_id=participant.pk),
                Paper.history.filter(participant_id=participant.pk),
            ),
            "deletion_request": DeletionRequest.objects.filter(participant=participant).first(),
        },
    )


@_personal_data
@never_cache
@organiser_required
def participant_registration(request, meeting, pk: int):
    """Organisers edit any registration of their meeting, also after the deadline."""
    participant = _meeting_participant(meeting, pk)
    if participant.status not in REGISTERABLE:
        return render(
            request,
            "participants/registration_unavailable.html",
            {
                "participant": participant,
                "meeting": meeting,
                "as_organiser": True,
            },
            status=400 if request.method == "POST" else 200,
        )
    detail_url = reverse(
        "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": pk}
    )
    return _handle_form(
        request,
        participant,
        success_url=detail_url,
        template="participants/registration_form.html",
        extra={"as_organiser": True, "detail_url": detail_url, "zone_label": meeting.zone_label()},
    )


@require_POST
@organiser_required
def participant_status(request, meeting, pk: int):
    participant = _meeting_participant(meeting, pk)
    form = StatusForm(request.POST, participant=participant)
    detail_url = reverse(
        "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": pk}
    )
    if form.is_valid() and form.needs_confirmation():
        to_status = Status(form.cleaned_data["to_status"])
        return render(
            request,
            "participants/organise_status_confirm.html",
            {
                "meeting": meeting,
                "participant": participant,
                "to_status": to_status,
                "note": form.cleaned_data["note"],
                "detail_url": detail_url,
            },
        )
    if form.is_valid():
        try:
            services.set_status(
                participant=participant,
                to_status=form.cleaned_data["to_status"],
                changed_by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Status changed.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(detail_url)
