"""Sessions edited in the admin follow the programme's rules and raise their SEQUENCE."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaChange, Session, SessionStatus
from tests.factories import MeetingFactory, RoomFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(meeting, session=None, **overrides):
    data = {
        "meeting": meeting.pk,
        "kind": "plenary",
        "title": "Plenary on national mechanisms",
        "starts_at_0": "2009-11-18",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2009-11-18",
        "ends_at_1": "10:30:00",
        "status": SessionStatus.CONFIRMED,
        "people-TOTAL_FORMS": 0,
        "people-INITIAL_FORMS": 0,
    }
    if session is not None:
        data["room"] = session.room_id or ""
    data.update(overrides)
    return data


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_refuses_a_double_booked_room_and_writes_nothing(superuser_client):
    meeting = MeetingFactory()
    hall = RoomFactory(venue=meeting.venue, name="Main hall")
    SessionFactory(
        meeting=meeting,
        title="Opening",
        room=hall,
        starts_at=dt.datetime(2009, 11, 18, 9, 0, tzinfo=meeting.zone),
        ends_at=dt.datetime(2009, 11, 18, 10, 0, tzinfo=meeting.zone),
    )

    response = superuser_client.post(
        reverse("admin:agenda_session_add"), _form(meeting, room=hall.pk)
    )

    assert response.status_code == 200
    assert "Main hall is already booked for" in response.text
    assert Session.objects.count() == 1


def test_admin_refuses_a_session_outside_the_meeting(superuser_client):
    meeting = MeetingFactory()

    response = superuser_client.post(
        reverse("admin:agenda_session_add"),
        _form(meeting, starts_at_0="2009-11-25", ends_at_0="2009-11-25"),
    )

    assert "The session must fall within the meeting" in response.text
    assert Session.objects.count() == 0


def test_admin_edit_of_announced_agenda_raises_sequence_and_records_the_change(
    superuser_client,
):
    meeting = MeetingFactory(agenda_announced_at=timezone.now())
    session = SessionFactory(meeting=meeting)
    version = meeting.version

    response = superuser_client.post(
        reverse("admin:agenda_session_change", args=[session.pk]),
        _form(meeting, session, title=session.title, starts_at_1="11:00:00", ends_at_1="12:00:00"),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    meeting.refresh_from_db()
    assert meeting.local(session.starts_at).hour == 11
    assert session.sequence == 1
    assert meeting.version == version + 1
    assert list(AgendaChange.objects.values_list("session_id", "kind")) == [(session.pk, "changed")]


def test_admin_cancelling_a_session_keeps_it_as_cancelled(superuser_client):
    meeting = MeetingFactory(agenda_announced_at=timezone.now())
    session = SessionFactory(meeting=meeting)

    superuser_client.post(
        reverse("admin:agenda_session_change", args=[session.pk]),
        _form(
            meeting,
            session,
            title=session.title,
            starts_at_0=f"{meeting.local(session.starts_at):%Y-%m-%d}",
            starts_at_1=f"{meeting.local(session.starts_at):%H:%M:%S}",
            ends_at_0=f"{meeting.local(session.ends_at):%Y-%m-%d}",
            ends_at_1=f"{meeting.local(session.ends_at):%H:%M:%S}",
            status=SessionStatus.CANCELLED,
        ),
    )

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.sequence == 1
    assert list(AgendaChange.objects.values_list("kind", flat=True)) == ["cancelled"]
