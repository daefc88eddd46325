"""Cached feeds and the cached agenda page never show a name, title or room that changed."""

import pytest
from django.urls import reverse

from agenda import services
from agenda.models import AgendaChange, Session
from participants.models import Paper, SessionRole
from tests.agenda.ics import events_by_summary, parse
from tests.factories import UserFactory


def _feed(client, meeting) -> bytes:
    return client.get(reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})).content


def _page(client, meeting) -> str:
    return client.get(reverse("agenda:agenda", kwargs={"slug": meeting.slug})).text


@pytest.fixture
def admin_client(db, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_renamed_participant_shows_in_cached_feed_and_page(client, accra):
    meeting = accra["meeting"]
    assert "Boateng" in _feed(client, meeting).decode()
    assert "Boateng" in _page(client, meeting)
    chair = accra["chair"]
    chair.family_name = "Boateng-Asante"
    chair.save()
    opening = events_by_summary(parse(_feed(client, meeting)))["Opening session"]
    assert "Boateng-Asante" in str(opening["DESCRIPTION"])
    assert "Boateng-Asante" in _page(client, meeting)


def test_retitled_paper_shows_in_cached_feed(client, accra):
    meeting = accra["meeting"]
    _feed(client, meeting)
    paper = Paper.objects.get(participant=accra["expert"])
    paper.title = "Young people and work in Ghana"
    paper.save()
    events = events_by_summary(parse(_feed(client, meeting)))
    youth = events["Youth inclusion (Youth and employment)"]
    assert "Young people and work in Ghana" in str(youth["DESCRIPTION"])


def test_room_renamed_in_admin_shows_in_cached_feed_and_page(admin_client, accra):
    meeting = accra["meeting"]
    _feed(admin_client, meeting)
    _page(admin_client, meeting)
    hall = accra["hall"]
    response = admin_client.post(
        reverse("admin:agenda_room_change", args=[hall.pk]),
        {"venue": hall.venue_id, "name": "Volta hall", "capacity": ""},
    )
    assert response.status_code == 302
    opening = events_by_summary(parse(_feed(admin_client, meeting)))["Opening session"]
    assert str(opening["LOCATION"]).startswith("Volta hall, ")
    assert "Volta hall" in _page(admin_client, meeting)


def test_venue_edited_in_admin_shows_in_cached_feed(admin_client, accra):
    meeting = accra["meeting"]
    _feed(admin_client, meeting)
    venue = meeting.venue
    rooms = list(venue.rooms.order_by("pk"))
    data = {
        "name": "ALISA Hotel North Ridge",
        "address": "",
        "city": "Accra",
        "country": "GH",
        "website": "",
        "phone": "",
        "rooms-TOTAL_FORMS": len(rooms),
        "rooms-INITIAL_FORMS": len(rooms),
    }
    for index, room in enumerate(rooms):
        data |= {
            f"rooms-{index}-id": room.pk,
            f"rooms-{index}-venue": venue.pk,
            f"rooms-{index}-name": room.name,
            f"rooms-{index}-capacity": "",
        }
    response = admin_client.post(reverse("admin:agenda_venue_change", args=[venue.pk]), data)
    assert response.status_code == 302
    opening = events_by_summary(parse(_feed(admin_client, meeting)))["Opening session"]
    assert str(opening["LOCATION"]) == "Main hall, ALISA Hotel North Ridge, Accra, Ghana"


def test_part_added_in_admin_raises_sequence_and_is_recorded(admin_client, accra):
    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    closing = accra["closing"]
    _feed(admin_client, meeting)
    data = {
        "meeting": meeting.pk,
        "kind": closing.kind,
        "title": closing.title,
        "description": "",
        "starts_at_0": "2009-11-19",
        "starts_at_1": "15:00:00",
        "ends_at_0": "2009-11-19",
        "ends_at_1": "16:00:00",
        "room": closing.room_id,
        "working_group": "",
        "status": closing.status,
        "people-TOTAL_FORMS": 1,
        "people-INITIAL_FORMS": 0,
        "people-0-participant": accra["observer"].pk,
        "people-0-part": "rapporteur",
        "people-0-paper": "",
        "people-0-order": 0,
    }
    response = admin_client.post(reverse("admin:agenda_session_change", args=[closing.pk]), data)
    assert response.status_code == 302
    assert SessionRole.objects.filter(session=closing).count() == 1
    assert Session.objects.get(pk=closing.pk).sequence == 1
    assert AgendaChange.objects.filter(session=closing).count() == 1
    event = events_by_summary(parse(_feed(admin_client, meeting)))["Closing session"]
    assert "Rapporteur: " in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 1
