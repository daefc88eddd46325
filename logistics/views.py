"""Logistics pages: the participant's letters, travel and hotel; the organisers' letters,
arrivals board, hotel block and information note; the public letter verification."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agenda.access import organiser_required
from agenda.models import Meeting
from agenda.rules import is_meeting_organiser
from participants.exports import XLSX_CONTENT_TYPE, to_csv, to_xlsx
from participants.models import SEAT_HOLDING_STATUSES, Participant, Registration
from participants.views.portal import own_participant

from . import notes, queries, services, throttle
from .forms import (
    BatchForm,
    HotelBlockForm,
    HotelBookingForm,
    InformationNoteForm,
    LetterTemplateForm,
    OrganiserBookingForm,
    RevokeForm,
    TicketForm,
    TravelPlanForm,
    VisaRequestForm,
)
from .models import (
    HotelBooking,
    InformationNote,
    Letter,
    LetterBatch,
    LetterKind,
    TravelPlan,
)

audit_log = logging.getLogger("egm.audit")


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _download(content: bytes, *, content_type: str, filename: str, inline=False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _spreadsheet(fmt: str, headers, rows, *, filename: str, title: str) -> HttpResponse:
    """A list as a CSV or XLSX download (``fmt`` "csv" or "xlsx"), named ``filename.fmt``."""
    if fmt == "xlsx":
        return _download(
            to_xlsx(headers, rows, title=title),
            content_type=XLSX_CONTENT_TYPE,
            filename=f"{filename}.xlsx",
        )
    return _download(
        to_csv(headers, rows), content_type="text/csv; charset=utf-8", filename=f"{filename}.csv"
    )


# ---------------------------------------------------------------------------- public


@never_cache
def verify(request, code: str):
    """Whether a letter exists and is in force, with the holder's initials and nationality.

    Says nothing else, and the same "not found" for any unknown code; rate-limited.
    """
    if not throttle.allow(request):
        return render(request, "logistics/verify.html", {"throttled": True}, status=429)
    letter = queries.verification(code)
    return render(
        request,
        "logistics/verify.html",
        {"letter": letter, "code": code},
        status=200 if letter else 404,
    )


# ---------------------------------------------------------------------------- shared


@login_required
def letter_pdf(request, slug: str, pk: int):
    """A letter's PDF, to its holder and the meeting's organisers only."""
    letter = get_object_or_404(
        Letter.objects.select_related("participant", "meeting"), pk=pk, meeting__slug=slug
    )
    if not request.user.has_perm("logistics.download_letter", letter) or not letter.pdf:
        # No file: deleted with the passport data when the retention period ended.
        raise Http404
    with letter.pdf.open("rb") as handle:
        content = handle.read()
    response = _download(
        content,
        content_type="application/pdf",
        filename=f"{letter.reference.replace('/', '-')}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _note_viewer(request, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), slug=slug)
    if is_meeting_organiser(request.user, meeting):
        return meeting
    if Participant.objects.filter(
        meeting=meeting, user=request.user, status__in=SEAT_HOLDING_STATUSES
    ).exists():
        return meeting
    raise Http404


@login_required
def note_page(request, slug: str):
    meeting = _note_viewer(request, slug)
    note = InformationNote.objects.filter(meeting=meeting).first()
    content = notes.note_content(note) if note and note.version else None
    return render(
        request, "logistics/note.html", {"meeting": meeting, "note": note, "content": content}
    )


@login_required
def note_pdf(request, slug: str):
    meeting = _note_viewer(request, slug)
    note = get_object_or_404(InformationNote, meeting=meeting, version__gt=0)
    return _download(
        notes.note_pdf_bytes(note),
        content_type="application/pdf",
        filename=f"{meeting.slug}-information-note.pdf",
    )


# ---------------------------------------------------------------------------- participant


@login_required
def my_letters(request, slug: str):
    participant = own_participant(request, slug)
    meeting = participant.meeting
    registration = Registration.objects.filter(participant=participant).first()
    form = VisaRequestForm(meeting=meeting)
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in LetterKind.values:
            messages.error(request, "Choose the letter to request.")
            return redirect("logistics:my_letters", slug=slug)
        if kind == LetterKind.VISA:
            form = VisaRequestForm(request.POST, meeting=meeting)
        if kind == LetterKind.INVITATION or form.is_valid():
            visa = kind == LetterKind.VISA
            try:
                services.request_letter(
                    participant=participant,
                    kind=kind,
                    embassy=form.cleaned_data["embassy"] if visa else None,
                    note=form.cleaned_data.get("note", "") if visa else "",
                )
            except ValidationError as exc:
                if not visa:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("logistics:my_letters", slug=slug)
                _errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    "Your request is with the secretariat. You will get an email when the "
                    "letter is ready to download here.",
                )
                return redirect("logistics:my_letters", slug=slug)
        status = 400
    return render(
        request,
        "logistics/my_letters.html",
        {
            "participant": participant,
            "meeting": meeting,
            "letters": queries.letters_of(participant),
            "requests": queries.open_requests(participant),
            "refusals": {
                kind: services.request_refusal(participant, kind, registration)
                for kind in LetterKind.values
            },
            "form": form,
            "has_embassies": meeting.embassies.exists(),
        },
        status=status,
    )


@login_required
def my_travel(request, slug: str):
    participant = own_participant(request, slug)
    meeting = participant.meeting
    plan = TravelPlan.objects.filter(participant=participant).first()
    status = 200
    with timezone.override(meeting.zone):
        if request.method == "POST":
            form = TravelPlanForm(request.POST, instance=plan)
            if form.is_valid():
                values = {name: form.cleaned_data[name] for name in form.Meta.fields}
                try:
                    services.save_travel_plan(
                        participant=participant, values=values, by=request.user
                    )
                except ValidationError as exc:
                    _errors_to_form(form, exc)
                else:
                    messages.success(request, "Travel details saved.")
                    return redirect("participant:portal", slug=slug)
            status = 400
        else:
            form = TravelPlanForm(instance=plan)
        response = render(
            request,
            "logistics/my_travel.html",
            {"participant": participant, "meeting": meeting, "form": form, "plan": plan},
            status=status,
        )
    return response


@login_required
def my_hotel(request, slug: str):
    participant = own_participant(request, slug)
    meeting = participant.meeting
    block = queries.block_of(meeting)
    booking = HotelBooking.objects.filter(participant=participant).first()
    status = 200
    if booking is None and block is not None:
        check_in, check_out = queries.stay_from_flights(participant, block)
        initial = {"check_in": check_in, "check_out": check_out}
    else:
        initial = {}
    if request.method == "POST":
        form = HotelBookingForm(request.POST, instance=booking)
        if form.is_valid():
            try:
                services.save_booking(
                    participant=participant, values=form.cleaned_data, by=request.user
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "Hotel stay saved.")
                return redirect("participant:portal", slug=slug)
        status = 400
    else:
        form = HotelBookingForm(instance=booking, initial=initial)
    return render(
        request,
        "logistics/my_hotel.html",
        {
            "participant": participant,
            "meeting": meeting,
            "form": form,
            "block": block,
            "booking": booking,
        },
        status=status,
    )


# ---------------------------------------------------------------------------- organisers


@organiser_required
def organise(request, meeting):
    block = queries.block_of(meeting)
    nights = queries.rooms_per_night(meeting, block)
    return render(
        request,
        "logistics/organise/index.html",
        {
            "meeting": meeting,
            "counts": queries.letter_counts(queries.attending_letters(meeting)),
            "waiting": queries.waiting_requests(meeting),
            "block": block,
            "over": [night for night in nights if night.over],
            "note": InformationNote.objects.filter(meeting=meeting).first(),
        },
    )


@organiser_required
def organise_letters(request, meeting):
    state = request.GET.get("state", "")
    state = state if state in queries.LETTER_STATES else ""
    kind = request.GET.get("kind", "")
    kind = kind if state and kind in LetterKind.values else ""
    rows = queries.letter_rows(meeting, state=state, kind=kind)
    if request.method == "POST":
        form = BatchForm(
            request.POST,
            kinds=LetterKind.choices,
            participant_ids=[row.participant.pk for row in rows],
        )
        if form.is_valid():
            try:
                batch = services.start_batch(
                    meeting=meeting,
                    kind=form.cleaned_data["kind"],
                    participant_ids=form.cleaned_data["participants"],
                    by=request.user,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return redirect("logistics:batch", slug=meeting.slug, pk=batch.pk)
        else:
            messages.error(request, "Choose the kind of letter and at least one participant.")
    return render(
        request,
        "logistics/organise/letters.html",
        {
            "meeting": meeting,
            "rows": rows,
            "kinds": LetterKind.choices,
            "batches": LetterBatch.objects.filter(meeting=meeting)[:5],
            "state": state,
            "state_label": queries.LETTER_STATE_LABELS.get(state, ""),
            "kind_label": LetterKind(kind).label if kind else "",
        },
    )


@organiser_required
def batch_progress(request, meeting, pk: int):
    batch = get_object_or_404(LetterBatch, meeting=meeting, pk=pk)
    return render(request, "logistics/organise/batch.html", {"meeting": meeting, "batch": batch})


@organiser_required
def letter_template(request, meeting, kind: str):
    if kind not in LetterKind.values:
        raise Http404
    template = services.ensure_templates(meeting=meeting)[kind]
    status = 200
    if request.method == "POST":
        form = LetterTemplateForm(request.POST, request.FILES, instance=template)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                if "preview" in request.POST:
                    upload = form.cleaned_data.get("signature")
                    if upload and hasattr(upload, "content_type"):  # a new file in this form
                        upload.seek(0)
                        signature = upload.read()
                    else:
                        signature = services.issue_context(meeting, kind).signature_image
                    pdf = services.preview_letter(
                        meeting=meeting, kind=kind, values=values, signature_image=signature
                    )
                    return _download(
                        pdf,
                        content_type="application/pdf",
                        filename=f"preview-{kind}.pdf",
                        inline=True,
                    )
                services.save_template(template=template, values=values)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "Letter template saved.")
                return redirect("logistics:letters", slug=meeting.slug)
        status = 400
    else:
        form = LetterTemplateForm(instance=template)
    return render(
        request,
        "logistics/organise/template.html",
        {
            "meeting": meeting,
            "form": form,
            "kind_label": LetterKind(kind).label,
            "placeholders": sorted(services.letters.PLACEHOLDERS[kind]),
            "history": queries.template_history(template),
        },
        status=status,
    )


def _participant_of(meeting, pk: int) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("meeting__venue"), meeting=meeting, pk=pk
    )


def _participant_page(
    request, meeting, participant, *, ticket_form=None, booking_form=None, status=200
):
    plan = TravelPlan.objects.filter(participant=participant).first()
    booking = HotelBooking.objects.filter(participant=participant).first()
    note = InformationNote.objects.filter(meeting=meeting).first()
    nights = queries.dsa_nights(plan, meeting)
    with timezone.override(meeting.zone):
        return render(
            request,
            "logistics/organise/participant.html",
            {
                "meeting": meeting,
                "participant": participant,
                "letters": queries.letters_of(participant),
                "requests": queries.open_requests(participant),
                "kinds": LetterKind.choices,
                "ticket_form": ticket_form or TicketForm(instance=plan),
                "booking_form": booking_form or OrganiserBookingForm(instance=booking),
                "block": queries.block_of(meeting),
                "dsa_nights": nights,
                "dsa_amount": note.dsa_amount(nights) if note else None,
                "dsa_currency": note.dsa_currency if note else "",
                "history": queries.participant_history(participant),
            },
            status=status,
        )


@organiser_required
def organise_participant(request, meeting, pk: int):
    return _participant_page(request, meeting, _participant_of(meeting, pk))


def _back(meeting, pk: int) -> str:
    return reverse("logistics:participant", kwargs={"slug": meeting.slug, "pk": pk})


@require_POST
@organiser_required
def issue(request, meeting, pk: int):
    participant = _participant_of(meeting, pk)
    kind = request.POST.get("kind", "")
    if kind not in LetterKind.values:
        messages.error(request, "Choose the kind of letter.")
        return redirect(_back(meeting, pk))
    try:
        letter = services.issue_letter(participant=participant, kind=kind, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Letter {letter.reference} issued; {participant.email} is told.")
    return redirect(_back(meeting, pk))


def _letter_of(meeting, pk: int) -> Letter:
    return get_object_or_404(Letter.objects.select_related("participant"), meeting=meeting, pk=pk)


@require_POST
@organiser_required
def revoke(request, meeting, pk: int):
    letter = _letter_of(meeting, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason for revoking the letter.")
    else:
        services.revoke_letter(letter=letter, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"Letter {letter.reference} revoked.")
    return redirect(_back(meeting, letter.participant_id))


@require_POST
@organiser_required
def reissue(request, meeting, pk: int):
    letter = _letter_of(meeting, pk)
    try:
        new = services.reissue_letter(letter=letter, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Letter {new.reference} issued in place of {letter.reference}.")
    return redirect(_back(meeting, letter.participant_id))


@require_POST
@organiser_required
def participant_travel(request, meeting, pk: int):
    participant = _participant_of(meeting, pk)
    plan = TravelPlan.objects.filter(participant=participant).first()
    with timezone.override(meeting.zone):
        form = TicketForm(request.POST, instance=plan)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.save_travel_plan(
                    participant=participant, values=values, by=request.user, as_organiser=True
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "Travel plan saved.")
                return redirect(_back(meeting, pk))
    return _participant_page(request, meeting, participant, ticket_form=form, status=400)


@require_POST
@organiser_required
def participant_hotel(request, meeting, pk: int):
    participant = _participant_of(meeting, pk)
    booking = HotelBooking.objects.filter(participant=participant).first()
    form = OrganiserBookingForm(request.POST, instance=booking)
    if form.is_valid():
        try:
            services.save_booking(
                participant=participant,
                values=form.cleaned_data,
                by=request.user,
                as_organiser=True,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Hotel stay saved.")
            return redirect(_back(meeting, pk))
    return _participant_page(request, meeting, participant, booking_form=form, status=400)


@organiser_required
def arrivals(request, meeting):
    return render(
        request,
        "logistics/organise/arrivals.html",
        {"meeting": meeting, "days": queries.arrivals_board(meeting), "zone": meeting.zone_label()},
    )


@organiser_required
def arrivals_csv(request, meeting):
    return _download(
        to_csv(queries.ARRIVALS_HEADERS, queries.arrivals_rows(meeting)),
        content_type="text/csv; charset=utf-8",
        filename=f"{meeting.slug}-arrivals.csv",
    )


@organiser_required
def visa_list(request, meeting, fmt: str):
    """The visa list (passport numbers, dates of birth) as CSV or XLSX; each download is logged
    with who took it, never with what it holds."""
    headers, rows = queries.VISA_LIST_HEADERS, queries.visa_list_rows(meeting)
    audit_log.info(
        "Visa list of %s (%d people) downloaded as %s by user %s",
        meeting.slug, len(rows), fmt, request.user.pk,
    )  # fmt: skip
    response = _spreadsheet(
        fmt, headers, rows, filename=f"{meeting.slug}-visa-list", title="Visa list"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@organiser_required
def hotel(request, meeting):
    block = queries.block_of(meeting)
    status = 200
    if request.method == "POST":
        form = HotelBlockForm(request.POST, instance=block)
        if form.is_valid():
            try:
                services.save_hotel_block(meeting=meeting, values=form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "Hotel block saved.")
                return redirect("logistics:hotel", slug=meeting.slug)
        status = 400
    else:
        form = HotelBlockForm(instance=block, initial={"hotel": meeting.venue_id})
    return render(
        request,
        "logistics/organise/hotel.html",
        {
            "meeting": meeting,
            "form": form,
            "block": block,
            "nights": queries.rooms_per_night(meeting, block),
            # Each cell with its column's name: on a phone each row reads as a labelled block.
            "rows": [
                list(zip(queries.ROOMING_HEADERS, row, strict=True))
                for row in queries.rooming_rows(meeting)
            ],
            "headers": queries.ROOMING_HEADERS,
            "history": queries.hotel_block_history(meeting),
        },
        status=status,
    )


@organiser_required
def rooming_list(request, meeting, fmt: str):
    return _spreadsheet(
        fmt,
        queries.ROOMING_HEADERS,
        queries.rooming_rows(meeting),
        filename=f"{meeting.slug}-rooming-list",
        title="Rooming list",
    )


@organiser_required
def edit_note(request, meeting):
    note = InformationNote.objects.filter(meeting=meeting).first()
    status = 200
    if request.method == "POST":
        form = InformationNoteForm(request.POST, instance=note)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                note, changed = services.save_information_note(
                    meeting=meeting, values=values, by=request.user
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                if changed:
                    messages.success(
                        request,
                        "Information note saved and sent to everyone attending"
                        + (f" (changed: {', '.join(changed)})." if note.version > 1 else "."),
                    )
                else:
                    messages.info(request, "Nothing changed; nothing sent.")
                return redirect("logistics:organise", slug=meeting.slug)
        status = 400
    else:
        form = InformationNoteForm(instance=note)
    return render(
        request,
        "logistics/organise/note_form.html",
        {"meeting": meeting, "form": form, "note": note, "history": queries.note_history(meeting)},
        status=status,
    )
