"""Venues and rooms in the admin follow the organiser's meetings like every other row.

Organiser A (of "ours") must not read or change the venue and rooms of meeting B ("theirs"),
nor book B's rooms for A's sessions; a venue two meetings share is read-only to each.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from agenda import services
from agenda.models import Meeting, Room, Session, SessionKind, SessionStatus, Venue
from participants.organisers import ensure_organiser
from tests.factories import (
    MeetingFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours_and_theirs():
    ours = MeetingFactory(
        slug="ours", short_title="Our meeting", venue=VenueFactory(name="Our Hotel")
    )
    theirs = MeetingFactory(
        slug="theirs", short_title="Their meeting", venue=VenueFactory(name="Their Hotel")
    )
    our_room = RoomFactory(venue=ours.venue, name="Our hall")
    their_room = RoomFactory(venue=theirs.venue, name="Their hall")
    SessionFactory(
        meeting=theirs,
        title="Confidential donor briefing",
        room=their_room,
        starts_at=dt.datetime(2009, 11, 18, 9, 0, tzinfo=theirs.zone),
        ends_at=dt.datetime(2009, 11, 18, 10, 0, tzinfo=theirs.zone),
    )
    return ours, theirs, our_room, their_room


def organiser_of(*meetings):
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-test-password", meetings=meetings
    )
    return user


def session_form(meeting, **overrides):
    data = {
        "meeting": meeting.pk,
        "kind": "plenary",
        "title": "Plenary on national mechanisms",
        "starts_at_0": "2009-11-18",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2009-11-18",
        "ends_at_1": "10:00:00",
        "status": SessionStatus.CONFIRMED,
        "people-TOTAL_FORMS": 0,
        "people-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def venue_form(venue, **overrides):
    data = {
        "name": venue.name,
        "address": venue.address,
        "city": venue.city,
        "country": str(venue.country),
        "website": "",
        "phone": "",
        "rooms-TOTAL_FORMS": 0,
        "rooms-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_admin_lists_an_organiser_only_their_meetings_venues_and_rooms(client, ours_and_theirs):
    ours, theirs, our_room, their_room = ours_and_theirs
    client.force_login(organiser_of(ours))

    venues = client.get(reverse("admin:agenda_venue_changelist"))
    rooms = client.get(reverse("admin:agenda_room_changelist"))

    assert list(venues.context["cl"].result_list) == [ours.venue]
    assert list(rooms.context["cl"].result_list) == [our_room]
    # Nor does the rooms' venue filter name the other meeting's venue.
    assert "Their Hotel" not in rooms.text


def test_admin_organiser_cannot_open_or_change_another_meetings_venue(client, ours_and_theirs):
    ours, theirs, _, _ = ours_and_theirs
    client.force_login(organiser_of(ours))
    url = reverse("admin:agenda_venue_change", args=[theirs.venue.pk])

    shown = client.get(url)
    posted = client.post(url, venue_form(theirs.venue, name="Defaced"))

    assert (shown.status_code, shown.url) == (302, reverse("admin:index"))
    assert posted.status_code == 302
    assert Venue.objects.get(pk=theirs.venue.pk).name == "Their Hotel"


def test_admin_organiser_cannot_change_another_meetings_room(client, ours_and_theirs):
    ours, theirs, _, their_room = ours_and_theirs
    client.force_login(organiser_of(ours))

    client.post(
        reverse("admin:agenda_room_change", args=[their_room.pk]),
        {"venue": theirs.venue.pk, "name": "Renamed", "capacity": 1},
    )

    their_room.refresh_from_db()
    assert (their_room.name, their_room.capacity) == ("Their hall", 40)


def test_admin_organiser_cannot_add_a_room_to_another_meetings_venue(client, ours_and_theirs):
    ours, theirs, _, _ = ours_and_theirs
    client.force_login(organiser_of(ours))

    response = client.post(
        reverse("admin:agenda_room_add"), {"venue": theirs.venue.pk, "name": "Squat", "capacity": 5}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Room.objects.filter(name="Squat").exists()


def test_admin_organiser_cannot_book_another_meetings_room(client, ours_and_theirs):
    ours, theirs, _, their_room = ours_and_theirs
    client.force_login(organiser_of(ours))

    response = client.post(
        reverse("admin:agenda_session_add"), session_form(ours, room=their_room.pk)
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "Confidential donor briefing" not in response.text
    assert Session.objects.filter(meeting=ours).count() == 0


def test_admin_room_autocomplete_offers_an_organiser_only_their_rooms(client, ours_and_theirs):
    ours, _, our_room, _ = ours_and_theirs
    client.force_login(organiser_of(ours))

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "agenda", "model_name": "session", "field_name": "room", "term": "hall"},
    )

    assert [item["id"] for item in response.json()["results"]] == [str(our_room.pk)]


def test_admin_organiser_sees_the_venue_they_added_and_may_hold_their_meeting_there(client):
    ours = MeetingFactory(slug="ours", venue=None)
    client.force_login(organiser_of(ours))

    client.post(
        reverse("admin:agenda_venue_add"),
        venue_form(VenueFactory.build(name="Labadi Beach Hotel"), **{"rooms-TOTAL_FORMS": 1})
        | {"rooms-0-name": "Ballroom", "rooms-0-capacity": 80},
    )
    venue = Venue.objects.get(name="Labadi Beach Hotel")
    listed = client.get(reverse("admin:agenda_venue_changelist"))

    assert list(listed.context["cl"].result_list) == [venue]
    assert list(venue.rooms.values_list("name", flat=True)) == ["Ballroom"]
    meeting_page = client.get(reverse("admin:agenda_meeting_change", args=[ours.pk]))
    assert list(meeting_page.context["adminform"].form.fields["venue"].queryset) == [venue]


def test_admin_venue_shared_with_another_organisers_meeting_is_read_only(client, ours_and_theirs):
    ours, theirs, our_room, _ = ours_and_theirs
    Meeting.objects.filter(pk=theirs.pk).update(venue=ours.venue)
    client.force_login(organiser_of(ours))
    url = reverse("admin:agenda_venue_change", args=[ours.venue.pk])

    shown = client.get(url)
    posted = client.post(url, venue_form(ours.venue, name="Defaced"))
    room_posted = client.post(
        reverse("admin:agenda_room_change", args=[our_room.pk]),
        {"venue": ours.venue.pk, "name": "Renamed", "capacity": 1},
    )

    assert shown.status_code == 200
    assert shown.context["has_change_permission"] is False
    assert (posted.status_code, room_posted.status_code) == (403, 403)
    assert Venue.objects.get(pk=ours.venue.pk).name == "Our Hotel"
    assert Room.objects.get(pk=our_room.pk).name == "Our hall"


def test_admin_organiser_may_change_their_own_venue(client, ours_and_theirs):
    ours, _, _, _ = ours_and_theirs
    client.force_login(organiser_of(ours))

    response = client.post(
        reverse("admin:agenda_venue_change", args=[ours.venue.pk]),
        venue_form(ours.venue, phone="+233 30 000 0000"),
    )

    assert response.status_code == 302
    assert Venue.objects.get(pk=ours.venue.pk).phone == "+233 30 000 0000"


def test_create_session_in_a_room_of_another_venue_is_refused_and_writes_nothing(
    ours_and_theirs,
):
    ours, _, _, their_room = ours_and_theirs

    with pytest.raises(services.ValidationError) as error:
        services.create_session(
            meeting=ours,
            kind=SessionKind.PLENARY,
            title="Ours",
            starts_at=dt.datetime(2009, 11, 18, 14, 0, tzinfo=ours.zone),
            ends_at=dt.datetime(2009, 11, 18, 15, 0, tzinfo=ours.zone),
            room=their_room,
        )

    assert error.value.message_dict == {"room": [services.ROOM_ELSEWHERE]}
    assert Session.objects.filter(meeting=ours).count() == 0


def test_update_session_into_a_room_of_another_venue_is_refused(ours_and_theirs):
    ours, _, our_room, their_room = ours_and_theirs
    session = SessionFactory(meeting=ours, room=our_room)

    with pytest.raises(services.ValidationError) as error:
        services.update_session(session=session, room=their_room)

    assert error.value.message_dict == {"room": [services.ROOM_ELSEWHERE]}
    assert Session.objects.get(pk=session.pk).room == our_room


def test_room_clash_with_another_meeting_at_a_shared_venue_hides_its_title(ours_and_theirs):
    ours, theirs, _, their_room = ours_and_theirs
    Meeting.objects.filter(pk=ours.pk).update(venue=theirs.venue)
    ours.refresh_from_db()

    with pytest.raises(services.ValidationError) as error:
        services.create_session(
            meeting=ours,
            kind=SessionKind.PLENARY,
            title="Ours",
            starts_at=dt.datetime(2009, 11, 18, 9, 30, tzinfo=ours.zone),
            ends_at=dt.datetime(2009, 11, 18, 10, 30, tzinfo=ours.zone),
            room=their_room,
        )

    assert error.value.message_dict == {
        "room": [
            "Their hall is already booked for another meeting at this venue "
            "on 18 November from 09:00 to 10:00."
        ]
    }


def test_meeting_cannot_move_to_another_venue_while_sessions_use_its_rooms(ours_and_theirs):
    ours, _, our_room, _ = ours_and_theirs
    SessionFactory(meeting=ours, room=our_room)
    ours.venue = VenueFactory(name="Elsewhere")

    with pytest.raises(services.ValidationError) as error:
        ours.full_clean()

    assert list(error.value.message_dict) == ["venue"]


def test_admin_hotel_booking_filter_never_names_another_meetings_venue(client, ours_and_theirs):
    from logistics.models import HotelBooking
    from tests.factories import ParticipantFactory

    ours, theirs, _, _ = ours_and_theirs
    for meeting in (ours, theirs):
        HotelBooking.objects.create(
            participant=ParticipantFactory(meeting=meeting),
            hotel=meeting.venue,
            check_in=meeting.starts_on,
            check_out=meeting.ends_on,
        )
    client.force_login(organiser_of(ours))

    response = client.get(reverse("admin:logistics_hotelbooking_changelist"))

    assert response.status_code == 200
    assert "Our Hotel" in response.text
    assert "Their Hotel" not in response.text


def meeting_form_with_session(client, meeting, session, **session_fields):
    """The meeting's admin form as shown, with its one session's row changed."""
    url = reverse("admin:agenda_meeting_change", args=[meeting.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name not in ("organisers",)
    }
    for prefix in ("deadlines", "role_quotas", "working_groups"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    starts, ends = meeting.local(session.starts_at), meeting.local(session.ends_at)
    row = {
        "id": session.pk,
        "meeting": meeting.pk,
        "kind": session.kind,
        "title": session.title,
        "starts_at_0": f"{starts:%Y-%m-%d}",
        "starts_at_1": f"{starts:%H:%M:%S}",
        "ends_at_0": f"{ends:%Y-%m-%d}",
        "ends_at_1": f"{ends:%H:%M:%S}",
        "room": session.room_id or "",
        "working_group": "",
        "status": session.status,
        **session_fields,
    }
    data |= {"sessions-TOTAL_FORMS": 1, "sessions-INITIAL_FORMS": 1}
    data |= {f"sessions-0-{key}": value for key, value in row.items()}
    return url, data


def test_admin_meeting_page_refuses_a_session_row_in_a_room_of_another_venue(client):
    ours = MeetingFactory(slug="ours", venue=VenueFactory(name="Our Hotel"))
    hall = RoomFactory(venue=ours.venue, name="Our hall")
    session = SessionFactory(meeting=ours, room=hall)
    elsewhere = RoomFactory(venue=VenueFactory(name="Elsewhere"), name="Far room")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url, data = meeting_form_with_session(client, ours, session, room=elsewhere.pk)

    response = client.post(url, data)

    assert response.status_code == 200
    assert escape(services.ROOM_ELSEWHERE) in response.text
    assert Session.objects.get(pk=session.pk).room == hall


def test_admin_meeting_page_saves_a_session_row_through_the_services(client):
    ours = MeetingFactory(slug="ours", venue=VenueFactory(name="Our Hotel"))
    session = SessionFactory(meeting=ours, room=RoomFactory(venue=ours.venue))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url, data = meeting_form_with_session(client, ours, session, title="Renamed plenary")

    response = client.post(url, data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.sequence) == ("Renamed plenary", 1)
