"""Logistics' parts of other apps' pages and flows, registered in ``LogisticsConfig.ready()``:
flights and the hotel stay in the personal calendar, the information note on acceptance.

The checklist steps are in ``logistics.portal``.
"""

from agenda.calendars import Flight, Stay
from participants.models import Participant, Status, StatusChange

from . import services
from .models import HotelBooking, TravelPlan


def travel_events(participant: Participant) -> list[Flight | Stay]:
    """The participant's flights and hotel stay, for the personal feed.

    Select ``travel_plan`` and ``hotel_booking__hotel`` with the participant to save queries.
    """
    events: list[Flight | Stay] = []
    booking = HotelBooking.objects.select_related("hotel").filter(participant=participant).first()
    if booking is not None:
        events.append(
            Stay(
                participant_id=participant.pk,
                hotel=str(booking.hotel) if booking.hotel_id else "",
                check_in=booking.check_in,
                check_out=booking.check_out,
                uid=booking.calendar_uid,
                updated_at=booking.updated_at,
            )
        )
    try:
        plan = participant.travel_plan
    except TravelPlan.DoesNotExist:
        plan = None
    if plan is not None:
        if plan.arrival_at:
            events.append(
                Flight(
                    participant.pk,
                    "arrival",
                    plan.arrival_flight,
                    plan.arrival_at,
                    plan.calendar_uid,
                    plan.updated_at,
                )
            )
        if plan.departure_at:
            events.append(
                Flight(
                    participant.pk,
                    "departure",
                    plan.departure_flight,
                    plan.departure_at,
                    plan.calendar_uid,
                    plan.updated_at,
                )
            )
    return events


def send_note_on_acceptance(change: StatusChange) -> None:
    """An acceptance sends the travel information note (``register_status_hook``)."""
    if change.to_status == Status.ACCEPTED:
        services.send_information_note(participant=change.participant)
