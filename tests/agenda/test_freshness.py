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


def _change_form_data(response) -> dict:
    """The admin change form as the browser would post it unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif hasattr(field, "widget") and getattr(field.widget, "widgets", None):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else part
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(inline.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[f"{inline.formset.prefix}-{index}-{name}"] = "" if value is None else value
    return data


def test_part_changed_in_session_role_admin_raises_sequence_and_is_mailed(
    admin_client, accra, django_capture_on_commit_callbacks
):
    from notifications.models import Message
    from participants import tasks

    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    _feed(admin_client, meeting)
    role = SessionRole.objects.get(session=accra["ageing_session"], participant=accra["chair"])
    url = reverse("admin:participants_sessionrole_change", args=[role.pk])
    data = _change_form_data(admin_client.get(url))
    data["session"] = accra["closing"].pk
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
        tasks.notify_agenda_changes.apply()
    assert response.status_code == 302
    sequences = dict(Session.objects.values_list("title", "sequence"))
    assert (sequences["Ageing societies"], sequences["Closing session"]) == (1, 1)
    closing = events_by_summary(parse(_feed(admin_client, meeting)))["Closing session"]
    assert str(closing["DESCRIPTION"]) == "Chair: Dr. Kwame Boateng"
    chair_mail = Message.objects.get(recipient="chair@example.org")
    assert "No longer on your agenda: Ageing societies" in chair_mail.body_text


def test_working_group_changed_in_participant_admin_mails_the_person(
    admin_client, accra, django_capture_on_commit_callbacks
):
    from notifications.models import Message
    from participants import tasks

    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    other = accra["other_expert"]
    url = reverse("admin:participants_participant_change", args=[other.pk])
    data = _change_form_data(admin_client.get(url))
    data["working_group"] = accra["youth"].pk
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
        tasks.notify_agenda_changes.apply()
    assert response.status_code == 302, response.context["adminform"].form.errors
    other.refresh_from_db()
    assert other.working_group == accra["youth"]
    assert list(Message.objects.values_list("recipient", flat=True)) == ["other@example.org"]
    assert "Changed: Youth inclusion" in Message.objects.get().body_text
