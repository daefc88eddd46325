"""The travel information note (page, PDF, emails) and the portal's logistics steps."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from logistics import services
from logistics.models import InformationNote
from notifications.models import Message
from participants import services as participant_services
from participants.portal import StepState, checklist
from tests.factories import ParticipantFactory
from tests.participants.support import accepted, future_meeting

from .support import (
    accra_meeting,
    embassy_for,
    organiser_of,
    pdf_text,
    registered,
)

pytestmark = pytest.mark.django_db

NOTE = {
    "arrival": "Kotoka International Airport (ACC); the secretariat meets those who ask.",
    "visa": "Most participants need a visa for Ghana.",
    "health": "A yellow fever vaccination certificate is required to enter Ghana.",
    "hotel": "ALISA Hotel, North Ridge, Accra.",
    "currency": "Ghana cedi (GHS).",
    "climate": "Warm and humid, around 30 °C.",
    "subsistence": "Paid on arrival to funded participants.",
    "contacts": "Secretariat: egm@example.org",
    "emergency": "Police 191, ambulance 193.",
    "dsa_rate": Decimal("207.00"),
    "dsa_currency": "USD",
}


def test_saving_the_note_sends_it_to_everyone_attending_then_only_what_changed():
    meeting = accra_meeting()
    attending = registered(meeting)
    ParticipantFactory(meeting=meeting, status="declined", email="no@example.org")

    note, _ = services.save_information_note(meeting=meeting, values=NOTE, by=None)
    first = Message.objects.get(kind="information_note")
    note, changed = services.save_information_note(
        meeting=meeting, values={**NOTE, "climate": "Hot: 31 °C."}, by=None
    )
    _, nothing = services.save_information_note(
        meeting=meeting, values={**NOTE, "climate": "Hot: 31 °C."}, by=None
    )

    second = Message.objects.filter(kind="information_note").exclude(pk=first.pk).get()
    assert (first.recipient, second.recipient) == (attending.email, attending.email)
    assert changed == ["Climate"]
    assert nothing == []
    assert note.version == 2
    assert "What changed: Climate." in second.body_text
    assert second.subject.startswith("Updated information note")
    assert [attachment["filename"] for attachment in second.attachments] == ["information-note.pdf"]
    assert Message.objects.count() == 2


def test_note_pdf_and_page_carry_the_sections(client):
    meeting = accra_meeting()
    participant = registered(meeting)
    services.save_information_note(meeting=meeting, values=NOTE, by=None)
    client.force_login(participant.user)

    page = client.get(reverse("logistics:note", kwargs={"slug": meeting.slug})).content.decode()
    pdf = client.get(reverse("logistics:note_pdf", kwargs={"slug": meeting.slug})).content

    assert "yellow fever vaccination certificate" in page
    text = pdf_text(pdf)
    assert "yellow fever vaccination certificate" in text
    assert "USD 207.00 per night" in text


def test_note_is_not_for_strangers(client):
    meeting = accra_meeting()
    services.save_information_note(meeting=meeting, values=NOTE, by=None)
    client.force_login(registered(accra_meeting()).user)

    assert client.get(reverse("logistics:note", kwargs={"slug": meeting.slug})).status_code == 404


def test_accepting_sends_the_current_note(django_capture_on_commit_callbacks):
    meeting = future_meeting()
    services.save_information_note(meeting=meeting, values=NOTE, by=None)

    participant = accepted(meeting)

    message = Message.objects.get(kind="information_note")
    assert message.recipient == participant.email
    assert message.idempotency_key == f"information-note:{participant.pk}:1"


def test_organiser_edits_the_note_from_the_logistics_page(client):
    meeting = accra_meeting()
    client.force_login(organiser_of(meeting))

    response = client.post(
        reverse("logistics:edit_note", kwargs={"slug": meeting.slug}),
        {**NOTE, "dsa_rate": "207.00"},
    )

    assert response.status_code == 302
    assert InformationNote.objects.get().version == 1


def _steps(participant):
    return {step.key: step for step in checklist(participant)}


def test_portal_shows_the_real_visa_travel_and_hotel_states():
    meeting = accra_meeting()
    embassy = embassy_for(meeting)
    participant = registered(meeting)
    slug = meeting.slug

    steps = _steps(participant)
    assert (steps["visa"].state, steps["visa"].url) == (
        StepState.OWED,
        reverse("logistics:my_letters", kwargs={"slug": slug}),
    )
    assert (steps["travel"].state, steps["hotel"].state) == (StepState.OWED, StepState.LATER)

    services.request_letter(participant=participant, kind="visa", embassy=embassy)
    assert _steps(participant)["visa"].detail == (
        "Requested for the Embassy of the Republic of Ghana, Brasília; being prepared."
    )

    letter = services.issue_letter(participant=participant, kind="visa", by=None)
    services.save_travel_plan(
        participant=participant,
        values={
            "arrival_at": dt.datetime(2009, 11, 16, 18, tzinfo=meeting.zone),
            "departure_at": dt.datetime(2009, 11, 20, 9, tzinfo=meeting.zone),
            "airport_pickup": True,
        },
        by=None,
    )
    services.save_hotel_block(
        meeting=meeting,
        values={
            "first_night": dt.date(2009, 11, 16),
            "last_night": dt.date(2009, 11, 19),
            "rooms": 5,
        },
    )
    services.save_booking(participant=participant, values={}, by=None)

    steps = _steps(participant)
    assert (steps["visa"].state, steps["visa"].detail) == (
        StepState.DONE,
        f"Letter {letter.reference} is ready to download.",
    )
    assert (steps["travel"].state, steps["travel"].detail) == (
        StepState.DONE,
        "Flights entered. Airport pickup requested.",
    )
    assert (steps["hotel"].state, steps["hotel"].detail) == (
        StepState.DONE,
        "4 nights from 16 November 2009.",
    )

    participant_services.update_registration(
        participant=participant, details={"passport_number": "FZ000001"}, by=organiser_of(meeting)
    )
    assert _steps(participant)["visa"].state == StepState.OWED


def test_organiser_participant_page_shows_the_logistics_block(client):
    meeting = accra_meeting()
    participant = registered(meeting)
    client.force_login(organiser_of(meeting))

    page = client.get(
        reverse(
            "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": participant.pk}
        )
    ).content.decode()
    tracker = client.get(
        reverse("participants:tracker", kwargs={"slug": meeting.slug})
    ).content.decode()

    logistics_url = reverse(
        "logistics:participant", kwargs={"slug": meeting.slug, "pk": participant.pk}
    )
    assert f'href="{logistics_url}"' in page
    assert "Visa support letter: To do" in page
    assert f'href="{reverse("logistics:organise", kwargs={"slug": meeting.slug})}"' in tracker
