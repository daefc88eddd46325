"""Logistics under the personal data rules: visa letters print the passport number, so
their PDFs are encrypted at rest and deleted with the passports when retention ends; a
confirmed deletion request erases the person's letters, flights and stay; their copy of
their data includes them."""

from django.db import transaction
from django.utils import timezone

from agenda.models import Meeting
from participants.models import Participant

from . import queries
from .models import HotelBooking, Letter, LetterKind, LetterRequest, TravelPlan


def letter_files() -> list[str]:
    """The stored names of every letter PDF (for ``rotate_encrypted_files``)."""
    return list(Letter.objects.exclude(pdf="").values_list("pdf", flat=True))


def purge_visa_letters(meeting: Meeting) -> int:
    """Delete the PDFs of ``meeting``'s visa letters and the passport fingerprints they kept.

    Side effects: each file is deleted from storage, ``pdf`` and ``passport_fingerprint``
    are emptied and ``pdf_deleted_at`` set. The letter rows stay (reference, initials,
    nationality, dates, revocation) so the public verification page still answers for a
    letter an embassy holds. Returns how many letters; a second run finds none.
    """
    letters = list(
        Letter.objects.filter(meeting=meeting, kind=LetterKind.VISA)
        .exclude(pdf="")
        .only("pk", "pdf")
    )
    with transaction.atomic():
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
            pdf="", passport_fingerprint="", pdf_deleted_at=timezone.now()
        )
        # The files go once the rows no longer name them (a rollback keeps both).
        transaction.on_commit(lambda: [letter.pdf.delete(save=False) for letter in letters])
    return len(letters)


def erase_participant(participant: Participant) -> None:
    """A confirmed deletion request: what logistics holds about the person goes.

    Side effects: the letters' PDFs are deleted (after commit) and each letter row keeps
    only its number, reference and dates, revoked if it was in force, so an embassy asking
    about it learns it is no longer valid; letter requests, flights and the hotel stay are
    deleted with their history.
    """
    now = timezone.now()
    letters = list(Letter.objects.filter(participant=participant).exclude(pdf="").only("pdf"))
    anonymous = {
        "pdf": "",
        "pdf_deleted_at": now,
        "passport_fingerprint": "",
        "holder_initials": "",
        "holder_nationality": "",
        "embassy": "",
    }
    Letter.objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=ERASED_REASON
    )
    Letter.objects.filter(participant=participant).update(**anonymous)
    kept = {field.name for field in Letter.history.model._meta.fields}
    Letter.history.filter(participant_id=participant.pk).update(
        **{name: value for name, value in anonymous.items() if name in kept}
    )
    transaction.on_commit(lambda: [letter.pdf.delete(save=False) for letter in letters])
    for model in (LetterRequest, TravelPlan, HotelBooking):
        model.objects.filter(participant=participant).delete()
        model.history.filter(participant_id=participant.pk).delete()


ERASED_REASON = "The holder's personal data was deleted at their request."


# ---------------------------------------------------------------------------- their copy


def letters_section(participant: Participant) -> list[dict]:
    return [
        {
            "Letter": letter.get_kind_display(),
            "Reference": letter.reference,
            "Embassy": letter.embassy,
            "Issued at": letter.issued_at,
            "Status": letter.state_label,
            "Reason for revoking": letter.revoked_reason,
        }
        for letter in reversed(queries.letters_of(participant))  # oldest first
    ] + [
        {
            "Letter requested": request.get_kind_display(),
            "Embassy": request.embassy.name if request.embassy else "",
            "Note": request.note,
            "Requested at": request.requested_at,
            "Handled at": request.handled_at,
        }
        for request in LetterRequest.objects.filter(participant=participant).select_related(
            "embassy"
        )
    ]


def travel_section(participant: Participant) -> list[dict]:
    plan = TravelPlan.objects.filter(participant=participant).first()
    if plan is None:
        return []
    return [
        {
            "Departing from": plan.departure_city,
            "Arrival flight": " ".join(filter(None, [plan.arrival_carrier, plan.arrival_flight])),
            "Arrives at": plan.arrival_at,
            "Arrival airport": plan.arrival_airport,
            "Departure flight": " ".join(
                filter(None, [plan.departure_carrier, plan.departure_flight])
            ),
            "Departs at": plan.departure_at,
            "Departure airport": plan.departure_airport,
            "Airport pick-up": plan.airport_pickup,
            "Notes": plan.notes,
            "Ticket issued": plan.ticket_issued,
            "Ticket reference": plan.ticket_reference,
            "Nights of allowance": plan.dsa_nights,
        }
    ]


def hotel_section(participant: Participant) -> list[dict]:
    booking = HotelBooking.objects.filter(participant=participant).select_related("hotel").first()
    if booking is None:
        return []
    return [
        {
            "Hotel": booking.hotel.name if booking.hotel else "",
            "Check-in": booking.check_in,
            "Check-out": booking.check_out,
            "Room type": booking.get_room_type_display(),
            "Accessibility needs": booking.accessibility_needs,
            "The hotel may be told these needs": booking.accessibility_consent,
            "Confirmation": booking.confirmation,
            "Notes": booking.notes,
        }
    ]
