"""Every change to a participant's logistics: letters, travel plans, hotel stays, the note.

Each function validates first, writes inside one transaction and queues any email on commit
through ``notifications.outbox``. A refusal is a ``ValidationError`` with the reason, and
then nothing has been written.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from agenda.models import Meeting
from notifications import outbox
from participants import portal as participant_portal
from participants.models import Participant, Registration, Status

from . import letters, notes, queries
from .models import (
    BatchStatus,
    Embassy,
    HotelBlock,
    HotelBooking,
    InformationNote,
    Letter,
    LetterBatch,
    LetterKind,
    LetterRequest,
    LetterTemplate,
    TravelPlan,
)

# Flights further than this from the meeting are taken for a typing mistake.
FLIGHT_WINDOW = dt.timedelta(days=7)
# Characters of verification codes: no 0/O or 1/I/L to misread from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
# Letters committed together by a batch (and so between two progress updates).
BATCH_CHUNK = 20


# ---------------------------------------------------------------------------- templates

DEFAULT_BODIES = {
    LetterKind.VISA: (
        "The {organiser} is organizing the {meeting_title}, to be held at the {venue} "
        "from {meeting_dates}, in collaboration with the {host}.\n\n"
        "{formal_name}, {job_title}, {organisation}, has been invited to participate in the "
        "meeting as an expert. We would be grateful if the Embassy could issue an entry visa "
        "to the participant, whose details are as follows:\n"
        "Name as in the passport: {name_in_passport}\n"
        "Nationality: {nationality}\n"
        "Passport number: {passport_number}, valid until {passport_expiry}\n"
        "Dates of stay in {meeting_city}: {stay_dates}\n\n"
        "Travel and subsistence costs will be borne by {costs_borne_by}.\n\n"
        "Please do not hesitate to contact us should you require further information."
    ),
    LetterKind.INVITATION: (
        "On behalf of the {organiser}, I have the pleasure to confirm that {formal_name}, "
        "{job_title}, {organisation}, is invited to participate in the {meeting_title}, "
        "to be held at the {venue} from {meeting_dates}, in collaboration with the {host}.\n\n"
        "The participant is expected in {meeting_city} from {stay_dates}. Travel and "
        "subsistence costs will be borne by {costs_borne_by}.\n\n"
        "We would be grateful if {formal_name} could be granted leave and permission to "
        "travel for this purpose."
    ),
}


def _default_prefix(meeting: Meeting) -> str:
    initials = "".join(word[0] for word in meeting.short_title.split() if word[:1].isupper())
    return f"EGM-{initials or meeting.pk}/{meeting.starts_on.year}"


def ensure_templates(*, meeting: Meeting) -> dict[str, LetterTemplate]:
    """The meeting's letter templates, creating the default wording for a missing kind."""
    found = {template.kind: template for template in meeting.letter_templates.all()}
    for kind in LetterKind.values:
        if kind not in found:
            found[kind], _ = LetterTemplate.objects.get_or_create(
                meeting=meeting,
                kind=kind,
                defaults={
                    "reference_prefix": _default_prefix(meeting),
                    "letterhead": f"{meeting.organiser}",
                    "body": DEFAULT_BODIES[kind],
                    "signatory_name": meeting.contact_name or "The secretariat",
                    "signatory_title": meeting.organiser,
                },
            )
    return found


def check_template_text(*, kind: str, texts: dict[str, str]) -> None:
    """Raise a ``ValidationError`` naming any placeholder the kind of letter does not know."""
    errors = {}
    for name, text in texts.items():
        unknown = letters.unknown_placeholders(text or "", kind)
        if unknown:
            errors[name] = ValidationError(
                str(letters.UnknownPlaceholder(unknown)), code="unknown_placeholder"
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_template(*, template: LetterTemplate, values: dict) -> LetterTemplate:
    """Store new wording for a letter template; refused (nothing saved) on unknown placeholders."""
    check_template_text(
        kind=template.kind,
        texts={name: values.get(name, "") for name in ("letterhead", "body")},
    )
    for name, value in values.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    return template


SAMPLE_VALUES = {
    "name_in_passport": "MENSAH AMA SERWAA",
    "passport_number": "G0000000",
    "passport_expiry": "1 January 2030",
    "embassy": "Embassy of the host country",
    "honorific": "Dr.",
    "full_name": "Ama Mensah",
    "formal_name": "Dr. Ama Mensah",
    "organisation": "University of Ghana",
    "job_title": "Professor",
    "nationality": "Ghana",
}


def preview_letter(
    *, meeting: Meeting, kind: str, values: dict, signature_image: bytes | None = None
) -> bytes:
    """The letter as a template's (unsaved) ``values`` would print it, for a sample person.

    Writes nothing; raises ``ValidationError`` naming unknown placeholders.
    """
    check_template_text(
        kind=kind, texts={name: values.get(name, "") for name in ("letterhead", "body")}
    )
    filled = {
        **meeting_values(meeting),
        **SAMPLE_VALUES,
        "stay_dates": date_range(*default_stay(meeting)),
        "costs_borne_by": meeting.organiser,
        "reference": f"{values.get('reference_prefix', '')}/000",
        "date": format_date(timezone.localdate(timezone=meeting.zone)),
    }
    content = letters.LetterContent(
        reference=filled["reference"],
        date=filled["date"],
        letterhead=letters.fill(values.get("letterhead", ""), filled, kind),
        addressee=SAMPLE_VALUES["embassy"] if kind == LetterKind.VISA else "",
        body=letters.fill(values.get("body", ""), filled, kind),
        signatory_name=values.get("signatory_name", ""),
        signatory_title=values.get("signatory_title", ""),
        verification_url=verification_url("PREVIEW"),
        verification_code="PREVIEW",
        title=f"{LetterKind(kind).label} (preview)",
        signature_image=signature_image,
    )
    return letters.letter_pdf(content)


# ---------------------------------------------------------------------------- values


def format_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_range(first: dt.date, last: dt.date) -> str:
    """'17-19 November 2009', '30 November to 2 December 2009', across years in full."""
    if first == last:
        return format_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {last.day} {last:%B %Y}"
    return f"{format_date(first)} to {format_date(last)}"


def default_stay(meeting: Meeting) -> tuple[dt.date, dt.date]:
    """Arrive the day before, leave the day after: the usual stay of a participant."""
    return meeting.starts_on - dt.timedelta(days=1), meeting.ends_on + dt.timedelta(days=1)


def meeting_values(meeting: Meeting) -> dict[str, str]:
    venue = meeting.venue
    return {
        "meeting_title": meeting.title,
        "meeting_dates": date_range(meeting.starts_on, meeting.ends_on),
        "meeting_city": venue.city if venue else "",
        "venue": f"{venue.name}, {venue.city}" if venue else "",
        "organiser": meeting.organiser,
        "host": meeting.host,
    }


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("logistics:verify", kwargs={"code": code})


def passport_fingerprint(registration: Registration | None) -> str:
    """A keyed digest of the passport details a visa letter prints (never the details)."""
    return queries.fingerprint(registration)


def initials(participant: Participant) -> str:
    words = f"{participant.given_name} {participant.family_name}".replace("-", " ").split()
    return "".join(f"{word[0].upper()}." for word in words)[:12]


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# ---------------------------------------------------------------------------- letters


def refusal(participant: Participant, kind: str, registration: Registration | None) -> str:
    """Why a letter of ``kind`` cannot be issued to the participant now; empty when it can."""
    if participant.status in (Status.DECLINED, Status.CANCELLED):
        return (
            f"{participant.full_name} {participant.get_status_display().lower()} the "
            "participation: no letter is issued."
        )
    if participant.status not in (Status.REGISTERED, Status.ATTENDED) or registration is None:
        return f"The registration of {participant.full_name} is not complete yet."
    if kind == LetterKind.VISA:
        required = participant_portal.passport_valid_until_required(participant.meeting)
        if registration.passport_expires_on < required:
            return (
                f"The passport of {participant.full_name} expires on "
                f"{format_date(registration.passport_expires_on)}, less than six months after "
                f"the meeting ends; it must be valid until at least {format_date(required)}."
            )
    return ""


def request_refusal(participant: Participant, kind: str, registration: Registration | None) -> str:
    """Why the participant cannot ask for a letter of ``kind`` now; empty when they can.

    Beyond ``refusal``: a letter of the kind already in force needs no request (a visa
    letter outdated by new passport details does, to have it re-issued).
    """
    reason = refusal(participant, kind, registration)
    if reason:
        return reason
    current = Letter.objects.filter(
        participant=participant, kind=kind, revoked_at__isnull=True
    ).first()
    if current is not None and queries.letter_state(current, registration) == (
        queries.LetterState.VALID
    ):
        return (
            f"Your {current.get_kind_display().lower()} {current.reference} is in force: "
            "download it above. Should your passport details change, ask again here."
        )
    return ""


def _open_requests(participant_ids: list[int], kind: str) -> dict[int, LetterRequest]:
    return {
        request.participant_id: request
        for request in LetterRequest.objects.filter(
            participant_id__in=participant_ids, kind=kind, handled_at__isnull=True
        ).select_related("embassy")
    }


def _embassy_for(
    participant: Participant, embassy: Embassy | None, context: "IssueContext"
) -> Embassy | None:
    """The embassy named by the caller, else by the participant's request, else the one
    serving their country of residence."""
    if embassy is not None:
        return embassy
    request = context.open_request(participant)
    if request is not None and request.embassy is not None:
        return request.embassy
    return context.embassies.get(participant.country.code)


def letter_content(
    *,
    participant: Participant,
    registration: Registration,
    template: LetterTemplate,
    plan: TravelPlan | None,
    embassy: Embassy | None,
    reference: str,
    code: str,
    issued_on: dt.date,
    meeting_texts: dict[str, str],
    signature_image: bytes | None,
) -> letters.LetterContent:
    """What one letter prints, from already fetched rows (no queries)."""
    meeting = participant.meeting
    stay = default_stay(meeting)
    if plan is not None and plan.arrival_at and plan.departure_at:
        stay = (meeting.local(plan.arrival_at).date(), meeting.local(plan.departure_at).date())
    values = {
        **meeting_texts,
        "honorific": participant.honorific,
        "full_name": participant.full_name,
        "formal_name": participant.formal_name,
        "organisation": participant.organisation,
        "job_title": participant.job_title,
        "nationality": str(registration.nationality.name),
        "stay_dates": date_range(*stay),
        "costs_borne_by": meeting.organiser
        if participant.funded
        else (participant.organisation or "the participant's own institution"),
        "reference": reference,
        "date": format_date(issued_on),
    }
    addressee = ""
    if template.kind == LetterKind.VISA:
        values.update(
            {
                "name_in_passport": registration.passport_name,
                "passport_number": registration.passport_number,
                "passport_expiry": format_date(registration.passport_expires_on),
                "embassy": embassy.name if embassy else "",
            }
        )
        addressee = "\n".join(part for part in (embassy.name, embassy.address) if part)
    return letters.LetterContent(
        reference=reference,
        date=values["date"],
        letterhead=letters.fill(template.letterhead, values, template.kind),
        addressee=addressee,
        body=letters.fill(template.body, values, template.kind),
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        verification_url=verification_url(code),
        verification_code=code,
        title=LetterKind(template.kind).label,
        signature_image=signature_image,
    )


def _signature(template: LetterTemplate) -> bytes | None:
    if not template.signature:
        return None
    with template.signature.open("rb") as handle:
        return handle.read()


def _letter_ready_email(letter: Letter) -> None:
    """Tell the participant a letter is ready: a link to the portal, never the PDF itself
    (a visa letter carries the passport number, which does not travel by email)."""
    participant = letter.participant
    meeting = participant.meeting
    outbox.queue_templated(
        template="logistics/email/letter_ready",
        context={
            "participant": participant,
            "meeting": meeting,
            "letter": letter,
            "kind": letter.get_kind_display(),
            "letters_url": settings.SITE_URL
            + reverse("logistics:my_letters", kwargs={"slug": meeting.slug}),
        },
        recipient=participant.email,
        idempotency_key=f"letter-ready:{letter.pk}",
        kind="letter_ready",
        meeting=meeting,
    )


@dataclass
class IssueContext:
    """Rows shared by the letters of one meeting, read once (a batch issues many).

    ``requests`` holds the open requests of a batch's participants, read in one query;
    None means "read them one participant at a time".
    """

    kind: str
    template: LetterTemplate
    meeting_texts: dict[str, str]
    signature_image: bytes | None
    embassies: dict[str, Embassy]
    requests: dict[int, LetterRequest] | None = None

    def open_request(self, participant: Participant) -> LetterRequest | None:
        if self.requests is not None:
            return self.requests.get(participant.pk)
        return _open_requests([participant.pk], self.kind).get(participant.pk)


def issue_context(
    meeting: Meeting, kind: str, participant_ids: list[int] | None = None
) -> IssueContext:
    template = ensure_templates(meeting=meeting)[kind]
    embassies: dict[str, Embassy] = {}
    for embassy in Embassy.objects.filter(meeting=meeting).order_by("country", "name"):
        embassies.setdefault(embassy.country.code, embassy)
    return IssueContext(
        kind=kind,
        template=template,
        meeting_texts=meeting_values(meeting),
        signature_image=_signature(template),
        embassies=embassies,
        requests=None if participant_ids is None else _open_requests(participant_ids, kind),
    )


def issue_letter(
    *,
    participant: Participant,
    kind: str,
    by,
    embassy: Embassy | None = None,
    context: IssueContext | None = None,
) -> Letter:
    """Issue a letter of ``kind`` to the participant.

    Refused with the reason (``ValidationError``, nothing written) when the registration is
    incomplete, the participant declined or was cancelled, the passport expires less than
    six months after the meeting (visa letter), no embassy is known (visa letter), or a
    letter of the kind is already in force. Side effects: locks the meeting row to number
    the letter; stores the PDF in private storage; closes the participant's open request of
    the kind; queues the "letter ready" email after commit.
    """
    letter = None
    try:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=participant.meeting_id)
            # The registration and the flights come with the participant, in one query.
            participant = Participant.objects.select_related(
                "meeting__venue", "registration", "travel_plan"
            ).get(pk=participant.pk)
            registration = getattr(participant, "registration", None)
            reason = refusal(participant, kind, registration)
            if reason:
                raise ValidationError(reason, code="letter_refused")
            # One read for both: a letter of the kind still in force, and the last number used.
            found = Letter.objects.filter(meeting=meeting).aggregate(
                top=Max("number"),
                in_force=Count(
                    "pk",
                    filter=Q(participant=participant, kind=kind, revoked_at__isnull=True),
                ),
            )
            if found["in_force"]:
                raise ValidationError(
                    f"{participant.full_name} already has a {LetterKind(kind).label.lower()} in "
                    "force: re-issue it instead.",
                    code="letter_in_force",
                )
            context = context or issue_context(meeting, kind)
            chosen = (
                _embassy_for(participant, embassy, context) if kind == LetterKind.VISA else None
            )
            if kind == LetterKind.VISA and chosen is None:
                raise ValidationError(
                    f"No embassy is known for {participant.full_name}: ask them to request the "
                    "letter naming one, or add the embassy for their country.",
                    code="no_embassy",
                )
            number = (found["top"] or 0) + 1
            reference = f"{context.template.reference_prefix}/{number:03d}"
            code = new_verification_code()
            now = timezone.now()
            plan = getattr(participant, "travel_plan", None)
            content = letter_content(
                participant=participant,
                registration=registration,
                template=context.template,
                plan=plan,
                embassy=chosen,
                reference=reference,
                code=code,
                issued_on=timezone.localtime(now, meeting.zone).date(),
                meeting_texts=context.meeting_texts,
                signature_image=context.signature_image,
            )
            pdf = letters.letter_pdf(content)
            letter = Letter(
                meeting=meeting,
                participant=participant,
                kind=kind,
                number=number,
                reference=reference,
                embassy=chosen.name if chosen else "",
                verification_code=code,
                passport_fingerprint=passport_fingerprint(registration)
                if kind == LetterKind.VISA
                else "",
                holder_initials=initials(participant),
                holder_nationality=registration.nationality,
                issued_at=now,
                issued_by=by,
            )
            letter.pdf.save(
                f"{meeting.pk}/{reference.replace('/', '-')}-{code}.pdf",
                ContentFile(pdf),
                save=False,
            )
            letter._history_user = by
            letter._change_reason = f"{reference} issued"
            letter.save()
            if context.requests is None or participant.pk in context.requests:
                # At most one open request per kind: saved, so its history says who answered.
                for request in LetterRequest.objects.filter(
                    participant=participant, kind=kind, handled_at__isnull=True
                ):
                    request.letter, request.handled_at = letter, now
                    request._history_user = by
                    request._change_reason = f"Answered with letter {reference}"
                    request.save(update_fields=["letter", "handled_at"])
            _letter_ready_email(letter)
    except IntegrityError as exc:
        # Two issuers raced past the meeting lock (possible only where there is none).
        if letter is not None and letter.pdf:
            letter.pdf.delete(save=False)
        raise ValidationError(
            "Another letter was issued at the same moment; try again.", code="letter_race"
        ) from exc
    return letter


@transaction.atomic
def revoke_letter(*, letter: Letter, by, reason: str) -> Letter:
    """Revoke a letter: its verification page says so from now on. Idempotent."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.revoked_at is not None:
        return letter
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise ValidationError("Give the reason for revoking the letter.", code="reason_required")
    letter.revoked_at = timezone.now()
    letter.revoked_reason = reason
    letter._history_user = by
    letter._change_reason = f"{letter.reference} revoked"
    letter.save(update_fields=["revoked_at", "revoked_reason"])
    return letter


@transaction.atomic
def reissue_letter(*, letter: Letter, by) -> Letter:
    """Revoke the letter and issue a new one of the same kind from today's details.

    Refused (nothing revoked) for the same reasons as ``issue_letter``.
    """
    old = Letter.objects.select_for_update().select_related("participant").get(pk=letter.pk)
    participant = old.participant
    registration = Registration.objects.filter(participant=participant).first()
    reason = refusal(participant, old.kind, registration)
    if reason:
        raise ValidationError(reason, code="letter_refused")
    embassy = None
    if old.kind == LetterKind.VISA:
        embassy = Embassy.objects.filter(meeting_id=old.meeting_id, name=old.embassy).first()
    if old.revoked_at is None:
        # Out of force before the new one is issued (one letter of a kind in force); its
        # history gets one entry below, once the reason can name the new letter.
        old.revoked_at = timezone.now()
        Letter.objects.filter(pk=old.pk).update(revoked_at=old.revoked_at)
    new = issue_letter(participant=participant, kind=old.kind, by=by, embassy=embassy)
    old.revoked_reason = f"Replaced by {new.reference}."[:300]
    old._history_user = by
    old._change_reason = f"{old.reference} re-issued as {new.reference}"
    old.save(update_fields=["revoked_at", "revoked_reason"])
    return new


@transaction.atomic
def request_letter(
    *, participant: Participant, kind: str, embassy: Embassy | None, note: str = ""
) -> LetterRequest:
    """The participant asks for a letter (a visa letter names the embassy).

    Refused with the reason when the participant may not have the letter yet or holds one
    in force (``request_refusal``), when the embassy is missing or of another meeting, or
    when a request of the kind is still open.
    """
    registration = Registration.objects.filter(participant=participant).first()
    reason = request_refusal(participant, kind, registration)
    if reason:
        raise ValidationError(reason, code="letter_refused")
    if kind == LetterKind.VISA and (
        embassy is None or embassy.meeting_id != participant.meeting_id
    ):
        raise ValidationError("Choose the embassy the letter is for.", code="embassy_required")
    if LetterRequest.objects.filter(
        participant=participant, kind=kind, handled_at__isnull=True
    ).exists():
        raise ValidationError("Your request is already with the secretariat.", code="request_open")
    return LetterRequest.objects.create(
        participant=participant,
        kind=kind,
        embassy=embassy if kind == LetterKind.VISA else None,
        note=" ".join(note.split())[:500],
        requested_at=timezone.now(),
    )


# ---------------------------------------------------------------------------- batches


def start_batch(*, meeting: Meeting, kind: str, participant_ids: list[int], by) -> LetterBatch:
    """Record a batch of letters to issue; the issuing task starts after commit.

    The task is sent by name: tasks sit above services and are not imported here.
    """
    ids = list(
        Participant.objects.filter(meeting=meeting, pk__in=participant_ids)
        .order_by("family_name", "given_name", "pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError("Choose at least one participant.", code="empty_selection")
    with transaction.atomic():
        batch = LetterBatch.objects.create(
            meeting=meeting, kind=kind, participant_ids=ids, total=len(ids), created_by=by
        )
        transaction.on_commit(
            lambda: current_app.send_task("logistics.issue_letter_batch", args=[batch.pk])
        )
    return batch


def run_batch(*, batch_id: int) -> LetterBatch:
    """Issue the batch's letters, recording progress and each refusal.

    Letters are committed in chunks of ``BATCH_CHUNK`` (one commit per letter would cost
    more than drawing it); inside a chunk each letter is its own savepoint, so one
    participant's refusal does not stop the others. Progress is written at each commit.
    Safe to run again: those who already hold a letter in force are skipped, not refused.
    """
    batch = LetterBatch.objects.select_related("meeting", "created_by").get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return batch
    LetterBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    ids = batch.participant_ids
    context = issue_context(batch.meeting, batch.kind, ids)
    people = Participant.objects.select_related("meeting__venue").in_bulk(ids)
    failures, issued = [], 0
    for start in range(0, len(ids), BATCH_CHUNK):
        with transaction.atomic():
            for participant_id in ids[start : start + BATCH_CHUNK]:
                participant = people.get(participant_id)
                if participant is None:
                    continue
                try:
                    issue_letter(
                        participant=participant,
                        kind=batch.kind,
                        by=batch.created_by,
                        context=context,
                    )
                    issued += 1
                except ValidationError as exc:
                    if exc.code != "letter_in_force":
                        failures.append(
                            {
                                "participant": participant_id,
                                "name": participant.full_name,
                                "reason": " ".join(exc.messages),
                            }
                        )
            done = min(start + BATCH_CHUNK, len(ids))
            finished = done == len(ids)
            LetterBatch.objects.filter(pk=batch.pk).update(
                done=done,
                issued=issued,
                failures=failures,
                status=BatchStatus.DONE if finished else BatchStatus.RUNNING,
                finished_at=timezone.now() if finished else None,
            )
    batch.refresh_from_db()
    return batch


# ---------------------------------------------------------------------------- travel

TRAVEL_FIELDS = (
    "departure_city",
    "arrival_carrier",
    "arrival_flight",
    "arrival_at",
    "arrival_airport",
    "departure_carrier",
    "departure_flight",
    "departure_at",
    "departure_airport",
    "airport_pickup",
    "notes",
)
TICKET_FIELDS = (
    "ticket_issued",
    "ticket_reference",
    "ticket_cost",
    "ticket_currency",
    "dsa_nights",
)


def check_flights(meeting: Meeting, arrival: dt.datetime | None, departure: dt.datetime | None):
    errors = {}
    if arrival and departure and departure <= arrival:
        errors["departure_at"] = ValidationError(
            "The departure must come after the arrival.", code="departure_before_arrival"
        )
    if arrival and not (meeting.starts_at - FLIGHT_WINDOW <= arrival < meeting.ends_at):
        errors["arrival_at"] = ValidationError(
            "The arrival is %(days)s days or more away from the meeting (%(dates)s): "
            "check the date.",
            code="flight_far_from_meeting",
            params={
                "days": FLIGHT_WINDOW.days,
                "dates": date_range(meeting.starts_on, meeting.ends_on),
            },
        )
    if departure and not (meeting.starts_at < departure <= meeting.ends_at + FLIGHT_WINDOW):
        errors["departure_at"] = ValidationError(
            "The departure is %(days)s days or more away from the meeting (%(dates)s): "
            "check the date.",
            code="flight_far_from_meeting",
            params={
                "days": FLIGHT_WINDOW.days,
                "dates": date_range(meeting.starts_on, meeting.ends_on),
            },
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_travel_plan(
    *, participant: Participant, values: dict, by, as_organiser: bool = False
) -> TravelPlan:
    """Store the participant's flights (and, for organisers, the ticket and allowance).

    Refused with the reason (nothing saved) for a departure before the arrival, flights a
    week or more away from the meeting, or a participant not attending. Ticket fields are
    taken from organisers only.
    """
    if participant.status not in (Status.ACCEPTED, Status.REGISTERED, Status.ATTENDED):
        raise ValidationError("Travel plans are for participants who attend.", code="not_attending")
    allowed = TRAVEL_FIELDS + (TICKET_FIELDS if as_organiser else ())
    plan = TravelPlan.objects.select_for_update().filter(participant=participant).first()
    plan = plan or TravelPlan(participant=participant)
    for name in allowed:
        if name in values:
            setattr(plan, name, values[name])
    check_flights(participant.meeting, plan.arrival_at, plan.departure_at)
    plan.full_clean()
    plan._history_user = by
    plan.save()
    return plan


# ---------------------------------------------------------------------------- hotel


@transaction.atomic
def save_hotel_block(*, meeting: Meeting, values: dict) -> HotelBlock:
    """Create or change the meeting's room block (the venue hotel unless another is named)."""
    block = HotelBlock.objects.filter(meeting=meeting).first() or HotelBlock(meeting=meeting)
    for name, value in values.items():
        setattr(block, name, value)
    if block.hotel_id is None and meeting.venue_id:
        block.hotel_id = meeting.venue_id
    if block.first_night and block.last_night and block.last_night < block.first_night:
        raise ValidationError(
            {"last_night": "The last night comes before the first."}, code="nights_out_of_order"
        )
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def save_booking(
    *, participant: Participant, values: dict, by, as_organiser: bool = False
) -> HotelBooking:
    """Store the participant's stay in the block.

    Check-in and check-out default from the flights. Refused with the reason (nothing
    saved) for a check-out on or before the check-in, a stay outside the block's nights, no
    block, or a participant not attending. Accessibility needs are kept only with consent to
    tell the hotel; the confirmation number is the organisers' to set.
    """
    if participant.status not in (Status.ACCEPTED, Status.REGISTERED, Status.ATTENDED):
        raise ValidationError("Hotel stays are for participants who attend.", code="not_attending")
    block = HotelBlock.objects.filter(meeting_id=participant.meeting_id).first()
    if block is None:
        raise ValidationError("The hotel block is not set up yet.", code="no_block")
    booking = HotelBooking.objects.select_for_update().filter(participant=participant).first()
    needs_before = booking.accessibility_needs if booking is not None else ""
    if booking is None:
        check_in, check_out = queries.stay_from_flights(participant, block)
        booking = HotelBooking(participant=participant, check_in=check_in, check_out=check_out)
    fields = ["check_in", "check_out", "room_type", "accessibility_needs", "accessibility_consent"]
    if as_organiser:
        fields += ["confirmation", "notes"]
    for name in fields:
        if name in values and values[name] is not None:
            setattr(booking, name, values[name])
    if booking.check_out <= booking.check_in:
        raise ValidationError(
            {"check_out": "The check-out must come after the check-in."},
            code="check_out_before_check_in",
        )
    last_check_out = block.last_night + dt.timedelta(days=1)
    if booking.check_in < block.first_night or booking.check_out > last_check_out:
        raise ValidationError(
            "The stay is outside the hotel block, which holds the nights of %(first)s to "
            "%(last)s (check-out by %(out)s). Write to the secretariat for other nights.",
            code="outside_block",
            params={
                "first": format_date(block.first_night),
                "last": format_date(block.last_night),
                "out": format_date(last_check_out),
            },
        )
    if not booking.accessibility_consent:
        booking.accessibility_needs = ""
    booking.hotel_id = block.hotel_id
    booking.full_clean()
    booking._history_user = by
    if booking.accessibility_needs != needs_before:
        booking._change_reason = "Changed: accessibility needs (not kept in the history)"
    booking.save()
    return booking


# ---------------------------------------------------------------------------- note


def _note_email(participant: Participant, note: InformationNote, changed: list[str]) -> None:
    meeting = participant.meeting
    outbox.queue_templated(
        template="logistics/email/information_note",
        context={
            "participant": participant,
            "meeting": meeting,
            "note": note,
            "changed": changed,
            "note_url": settings.SITE_URL
            + reverse("logistics:note", kwargs={"slug": meeting.slug}),
        },
        recipient=participant.email,
        idempotency_key=f"information-note:{participant.pk}:{note.version}",
        kind="information_note",
        meeting=meeting,
        attachments=[
            outbox.Attachment("information-note.pdf", notes.note_pdf_bytes(note), "application/pdf")
        ],
    )


@transaction.atomic
def save_information_note(
    *, meeting: Meeting, values: dict, by
) -> tuple[InformationNote, list[str]]:
    """Store the travel information note; when a section changed, send it again to everyone
    attending with the names of the changed sections (each version once per person).

    Returns the note and the titles of the sections that changed.
    """
    note = InformationNote.objects.select_for_update().filter(meeting=meeting).first()
    note = note or InformationNote(meeting=meeting)
    changed = []
    for name, value in values.items():
        if getattr(note, name) != value:
            changed.append(str(InformationNote._meta.get_field(name).verbose_name))
            setattr(note, name, value)
    if not changed and note.pk:
        return note, []
    note.version += 1
    note.updated_by = by
    note._history_user = by
    note.full_clean()
    note.save()
    first = note.version == 1
    for participant in queries.attending(meeting):
        _note_email(participant, note, [] if first else changed)
    return note, changed


def send_information_note(*, participant: Participant) -> bool:
    """Send the current note to a participant who has just accepted (once per version)."""
    note = InformationNote.objects.filter(meeting_id=participant.meeting_id).first()
    if note is None or note.version == 0:
        return False
    _note_email(participant, note, [])
    return True
