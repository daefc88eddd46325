"""Logistics in a participant's copy of their data, and erased with them when they ask."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from logistics import services
from logistics.models import HotelBooking, Letter, LetterRequest, TravelPlan
from participants.privacy import erasure
from participants.privacy.files import encrypted_storage

from .support import (
    organiser_of,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def traveller(meeting):
    person = registered(meeting)
    services.issue_letter(participant=person, kind="visa", by=None)
    TravelPlan.objects.create(
        participant=person,
        departure_city="Brasília",
        arrival_carrier="TAP",
        arrival_flight="TP1531",
        arrival_at=dt.datetime(2009, 11, 23, 19, 40, tzinfo=dt.UTC),
    )
    HotelBooking.objects.create(
        participant=person,
        check_in=dt.date(2009, 11, 23),
        check_out=dt.date(2009, 11, 27),
        room_type="single",
        accessibility_needs="Step-free room",
        accessibility_consent=True,
    )
    return person


def test_their_copy_holds_their_letters_flights_and_stay(client, traveller):
    client.force_login(traveller.user)
    response = client.get(
        reverse("participant:my_data_json", kwargs={"slug": traveller.meeting.slug})
    )
    data = json.loads(response.content)
    assert data["Letters"][0]["Reference"] == Letter.objects.get(participant=traveller).reference
    assert data["Letters"][0]["Status"] == "Valid"
    assert data["Travel"][0]["Arrival flight"] == "TAP TP1531"
    assert data["Hotel"][0]["Accessibility needs"] == "Step-free room"
    assert data["Hotel"][0]["Check-out"] == "2009-11-27"


def test_deletion_erases_letters_flights_and_stay_and_voids_the_letter(
    client, django_capture_on_commit_callbacks, meeting, traveller
):
    letter = Letter.objects.get(participant=traveller)
    path = encrypted_storage().path(letter.pdf.name)
    organiser = organiser_of(meeting)
    erasure.request_deletion(participant=traveller, by=traveller.user)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.confirm_deletion(participant=traveller, confirmed_by=organiser)

    letter.refresh_from_db()
    assert not letter.pdf and not encrypted_storage().exists(path)
    assert (letter.holder_initials, letter.embassy, letter.passport_fingerprint) == ("", "", "")
    assert letter.revoked_at is not None
    assert not TravelPlan.objects.filter(participant=traveller).exists()
    assert not HotelBooking.objects.filter(participant=traveller).exists()
    assert not LetterRequest.objects.filter(participant=traveller).exists()
    for model in (TravelPlan, HotelBooking, LetterRequest):
        assert not model.history.filter(participant_id=traveller.pk).exists()
    assert set(
        Letter.history.filter(participant_id=traveller.pk).values_list("embassy", flat=True)
    ) == {""}
    # An embassy checking the letter learns it is no longer valid, and nothing about whom.
    page = client.get(reverse("logistics:verify", kwargs={"code": letter.verification_code}))
    assert "Revoked" in page.content.decode() or "revoked" in page.content.decode()
    assert "Ferreira" not in page.content.decode()
