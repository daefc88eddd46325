"""The participant portal's logistics steps: visa letter, travel, hotel (reads only)."""

import dataclasses

from django.urls import reverse

from participants import portal
from participants.models import SEAT_HOLDING_STATUSES, Participant

from . import queries, services
from .models import HotelBlock, LetterKind, LetterRequest

# Where these steps sit among the other apps' (participants.contributions): after registering
# (20), before the paper (50).
STEP_ORDER = {"visa": 30, "travel": 40, "hotel": 45}


def checklist_steps(participant: Participant) -> list["portal.Step"]:
    """The visa letter, travel and hotel steps, placed in the portal's checklist."""
    return [dataclasses.replace(step, order=STEP_ORDER[step.key]) for step in _steps(participant)]


def _steps(participant: Participant) -> list["portal.Step"]:
    """The visa letter, travel and hotel steps with links, in their real state.

    Reads the registration, travel plan and stay in one query, then the letters.
    """
    Step, State = portal.Step, portal.StepState
    if participant.status not in SEAT_HOLDING_STATUSES:
        return [
            Step("visa", "Visa support letter", State.NOT_APPLICABLE),
            Step("travel", "Travel details", State.NOT_APPLICABLE),
            Step("hotel", "Hotel", State.NOT_APPLICABLE),
        ]
    person = (
        Participant.objects.select_related(
            "meeting", "registration", "travel_plan", "hotel_booking"
        )
        .defer("registration__passport_number")
        .get(pk=participant.pk)
    )
    slug = participant.meeting.slug
    return [
        _visa_step(person, reverse("logistics:my_letters", kwargs={"slug": slug})),
        _travel_step(person, reverse("logistics:my_travel", kwargs={"slug": slug})),
        _hotel_step(person, reverse("logistics:my_hotel", kwargs={"slug": slug})),
    ]


def _related(person: Participant, name: str):
    return getattr(person, name, None)


def _visa_step(person: Participant, url: str) -> "portal.Step":
    Step, State = portal.Step, portal.StepState
    title = "Visa support letter"
    current = person.letters.filter(kind=LetterKind.VISA, revoked_at__isnull=True).first()
    if current is not None:
        # The passport number is needed to tell an outdated letter: read it only now.
        state = queries.letter_state(current, queries.registration_of(person))
        if state == queries.LetterState.VALID:
            return Step(
                "visa", title, State.DONE, f"Letter {current.reference} is ready to download.", url
            )
        return Step(
            "visa",
            title,
            State.OWED,
            "Your passport details changed after the letter was issued: the secretariat "
            "will issue a new one.",
            url,
        )
    request = (
        LetterRequest.objects.filter(
            participant=person, kind=LetterKind.VISA, handled_at__isnull=True
        )
        .select_related("embassy")
        .first()
    )
    if request is not None:
        return Step(
            "visa", title, State.OWED, f"Requested for the {request.embassy}; being prepared.", url
        )
    if services.refusal(person, LetterKind.VISA, _related(person, "registration")):
        return Step(
            "visa", title, State.LATER, "You can ask for the letter once registration is complete."
        )
    return Step(
        "visa", title, State.OWED, "If you need a visa, ask for a letter naming the embassy.", url
    )


def _travel_step(person: Participant, url: str) -> "portal.Step":
    Step, State = portal.Step, portal.StepState
    plan = _related(person, "travel_plan")
    if plan is not None and plan.arrival_at and plan.departure_at:
        pickup = " Airport pickup requested." if plan.airport_pickup else ""
        return Step("travel", "Travel details", State.DONE, f"Flights entered.{pickup}", url)
    return Step("travel", "Travel details", State.OWED, "Your arrival and departure flights.", url)


def _hotel_step(person: Participant, url: str) -> "portal.Step":
    Step, State = portal.Step, portal.StepState
    booking = _related(person, "hotel_booking")
    if booking is not None:
        confirmation = f", confirmation {booking.confirmation}" if booking.confirmation else ""
        return Step(
            "hotel",
            "Hotel",
            State.DONE,
            f"{booking.nights} nights from {services.format_date(booking.check_in)}{confirmation}.",
            url,
        )
    if not HotelBlock.objects.filter(meeting_id=person.meeting_id).exists():
        return Step("hotel", "Hotel", State.LATER, "Rooms open once the hotel block is set.")
    return Step("hotel", "Hotel", State.OWED, "Your nights at the meeting hotel.", url)
