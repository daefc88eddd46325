"""The organiser's programme editor (sessions, people's parts, working-group members) and
the participant's personal calendar feed.

They live with people: the editor assigns participants to sessions. Their URLs keep the
``agenda`` namespace (``config/urls.py`` mounts them there), so links do not change.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from agenda import queries as agenda_queries
from agenda import services as agenda_services
from agenda.access import organiser_required
from agenda.forms import SessionForm
from agenda.models import Session
from agenda.views import calendar_response

from .. import feeds, queries
from ..models import Participant, SessionRole
from . import queries as programme_queries
from . import services as programme_services
from .forms import MemberForm, PartForm


@require_safe
def personal_ics(request, slug: str, token: str):
    participant = queries.participant_for_calendar(slug, token)
    return calendar_response(
        request, feeds.PersonalFeed(participant), f"{participant.meeting.slug}-my-agenda.ics"
    )


# Organiser pages. Forms read and show times in the meeting's zone.


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _form_errors(request, form) -> None:
    """A redirecting form's errors as messages, each naming its field."""
    for name, field_errors in form.errors.items():
        label = (
            form.fields[name].label or name.replace("_", " ").capitalize()
            if name in form.fields
            else ""
        )
        for text in field_errors:
            messages.error(request, f"{label}: {text}" if label else text)


def _warn(request, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


@organiser_required
def organise_agenda(request, meeting):
    participants = Participant.objects.filter(meeting=meeting).select_related("working_group")
    with timezone.override(meeting.zone):
        return render(
            request,
            "agenda/organise/list.html",
            {
                "meeting": meeting,
                "programme": agenda_queries.programme_by_day(meeting),
                "groups": programme_queries.working_groups_with_members(meeting),
                "participants": participants,
                "member_form": MemberForm(meeting=meeting),
            },
        )


@organiser_required
def session_create(request, meeting):
    with timezone.override(meeting.zone):
        form = SessionForm(request.POST or None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            try:
                result = agenda_services.create_session(meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, f"Session \u201c{result.session.title}\u201d added.")
                _warn(request, result.warnings)
                return redirect("agenda:organise_session", slug=meeting.slug, pk=result.session.pk)
        return render(
            request,
            "agenda/organise/session_form.html",
            {"meeting": meeting, "form": form, "session": None},
        )


@organiser_required
def session_edit(request, meeting, pk: int):
    session = get_object_or_404(
        Session.objects.select_related("room", "working_group"), meeting=meeting, pk=pk
    )
    with timezone.override(meeting.zone):
        form = SessionForm(
            request.POST or None, meeting=meeting, initial=SessionForm.initial_for(session)
        )
        if request.method == "POST" and form.is_valid():
            try:
                result = agenda_services.update_session(session=session, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, f"Session \u201c{result.session.title}\u201d saved.")
                _warn(request, result.warnings)
                return redirect("agenda:organise_session", slug=meeting.slug, pk=session.pk)
        people = session.people.select_related("participant", "paper")
        return render(
            request,
            "agenda/organise/session_form.html",
            {
                "meeting": meeting,
                "form": form,
                "session": session,
                "people": people,
                "part_form": PartForm(meeting=meeting),
            },
        )


@organiser_required
def session_cancel(request, meeting, pk: int):
    session = get_object_or_404(Session, meeting=meeting, pk=pk)
    if request.method == "POST":
        agenda_services.cancel_session(session=session)
        messages.success(request, f"Session \u201c{session.title}\u201d cancelled.")
        return redirect("agenda:organise", slug=meeting.slug)
    with timezone.override(meeting.zone):
        return render(
            request,
            "agenda/organise/session_cancel.html",
            {"meeting": meeting, "session": session},
        )


@organiser_required
@require_POST
def part_add(request, meeting, pk: int):
    session = get_object_or_404(Session.objects.select_related("meeting"), meeting=meeting, pk=pk)
    form = PartForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            result = programme_services.assign_part(
                session=session,
                participant=form.cleaned_data["participant"],
                part=form.cleaned_data["part"],
                paper=form.cleaned_data["paper"],
                order=form.cleaned_data["order"] or 0,
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, "Part assigned.")
            _warn(request, result.warnings)
    else:
        _form_errors(request, form)
    return redirect("agenda:organise_session", slug=meeting.slug, pk=session.pk)


@organiser_required
@require_POST
def part_remove(request, meeting, pk: int, role_pk: int):
    role = get_object_or_404(
        SessionRole.objects.select_related("session__meeting"),
        session__meeting=meeting,
        session_id=pk,
        pk=role_pk,
    )
    programme_services.remove_part(role=role)
    messages.success(request, "Part removed.")
    return redirect("agenda:organise_session", slug=meeting.slug, pk=pk)


@organiser_required
@require_POST
def member_set(request, meeting):
    form = MemberForm(request.POST, meeting=meeting)
    if form.is_valid():
        participant = programme_services.set_working_group(
            participant=form.cleaned_data["participant"],
            working_group=form.cleaned_data["working_group"],
        )
        group = participant.working_group
        messages.success(
            request,
            f"{participant.full_name}: {group.name if group else 'no working group'}.",
        )
    else:
        _form_errors(request, form)
    return redirect("agenda:organise", slug=meeting.slug)


@organiser_required
@require_POST
def announce(request, meeting):
    agenda_services.announce_agenda(meeting=meeting)
    messages.success(
        request, "Agenda announced: from now on, changes are mailed to the people affected."
    )
    return redirect("agenda:organise", slug=meeting.slug)
