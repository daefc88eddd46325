"""The public agenda page and the organiser's agenda pages."""

import datetime as dt

import pytest
from django.urls import reverse

from agenda import services
from agenda.models import Session, SessionKind
from participants.models import SessionRole
from participants.programme import services as programme
from tests.agenda.conftest import at
from tests.factories import MeetingFactory, ParticipantFactory, SessionFactory, UserFactory


def agenda_url(meeting) -> str:
    return reverse("agenda:agenda", kwargs={"slug": meeting.slug})


def test_agenda_page_shows_days_zone_people_and_parallel_sessions(client, accra):
    page = client.get(agenda_url(accra["meeting"])).content.decode()
    assert "Tuesday 17 November 2009" in page
    assert "Thursday 19 November 2009" in page
    assert "Africa/Accra (GMT)" in page
    assert '<span class="part">Chair:</span> Dr. Kwame Boateng' in page
    assert "<cite>Youth employment in Ghana</cite>" in page
    # Both 11:00 working groups sit in one slot, side by side.
    slot = page.split('datetime="2009-11-17T11:00:00+00:00"')[1].split('class="slot"')[0]
    assert "Youth inclusion" in slot
    assert "Ageing societies" in slot
    # Names are plain text: no link to anyone's details.
    assert "/participants/" not in page
    assert "expert@example.org" not in page


def test_agenda_page_strikes_through_cancelled_sessions(client, accra):
    services.cancel_session(session=accra["closing"])
    page = client.get(agenda_url(accra["meeting"])).content.decode()
    assert '<del>Closing session</del> <span class="cancelled-label">(cancelled)</span>' in page


def test_agenda_page_offers_calendar_links(client, accra):
    page = client.get(agenda_url(accra["meeting"])).content.decode()
    assert 'href="webcal://127.0.0.1:8000/m/accra-2009/agenda.ics"' in page
    assert 'href="http://127.0.0.1:8000/m/accra-2009/agenda.ics" download' in page
    assert 'href="webcal://127.0.0.1:8000/m/accra-2009/groups/youth.ics"' in page


def test_calendar_links_include_shows_personal_feed(accra):
    from django.template.loader import render_to_string

    expert = accra["expert"]
    token = programme.ensure_calendar_token(participant=expert)
    html = render_to_string(
        "agenda/_calendar_links.html", {"meeting": accra["meeting"], "participant": expert}
    )
    assert f"webcal://127.0.0.1:8000/m/accra-2009/me/calendar/{token}.ics" in html


def _programme(meeting, count: int) -> None:
    for index in range(count):
        start = at(meeting, index % 3, 8) + dt.timedelta(minutes=20 * (index // 3))
        session = SessionFactory(
            meeting=meeting, starts_at=start, ends_at=start + dt.timedelta(minutes=15)
        )
        person = ParticipantFactory(meeting=meeting)
        SessionRole.objects.create(session=session, participant=person, part="speaker")


@pytest.mark.parametrize("count", [3, 30])
def test_agenda_page_query_count_does_not_grow(client, db, count, django_assert_num_queries):
    meeting = MeetingFactory()
    _programme(meeting, count)
    # Meeting, programme fingerprint, sessions (room, group), their people, working
    # groups: 5 at any size (2 fewer once the programme is cached).
    with django_assert_num_queries(5):
        response = client.get(agenda_url(meeting))
    assert response.content.decode().count('<article class="session') == count


def test_agenda_page_of_unpublished_meeting_is_404(client, db):
    meeting = MeetingFactory(is_published=False)
    assert client.get(agenda_url(meeting)).status_code == 404


@pytest.fixture
def organiser(client, accra):
    user = UserFactory(email="organiser@example.org")
    accra["meeting"].organisers.add(user)
    client.force_login(user)
    return user


def test_organiser_pages_are_404_for_other_users(client, accra):
    client.force_login(UserFactory(email="someone@example.org"))
    url = reverse("agenda:organise", kwargs={"slug": accra["meeting"].slug})
    assert client.get(url).status_code == 404


def test_organiser_page_lists_sessions_and_working_groups(client, accra, organiser):
    page = client.get(reverse("agenda:organise", kwargs={"slug": "accra-2009"})).content.decode()
    assert "Opening session" in page
    assert (
        '<th scope="row">Dr. Amina Diallo</th><td data-label="Role">Expert</td>'
        '<td data-label="Working group">Youth and employment</td>' in page
    )


def test_organiser_creates_session_in_meeting_zone(client, accra, organiser):
    url = reverse("agenda:organise_new", kwargs={"slug": "accra-2009"})
    response = client.post(
        url,
        {
            "kind": SessionKind.PLENARY,
            "title": "Panel",
            "starts_at": "2009-11-18T14:00",
            "ends_at": "2009-11-18T15:00",
            "room": accra["annex"].pk,
        },
    )
    session = Session.objects.get(title="Panel")
    assert response.status_code == 302
    assert session.starts_at == dt.datetime(2009, 11, 18, 14, tzinfo=dt.UTC)


def test_organiser_double_booking_shows_reason_and_writes_nothing(client, accra, organiser):
    url = reverse("agenda:organise_new", kwargs={"slug": "accra-2009"})
    count = Session.objects.count()
    response = client.post(
        url,
        {
            "kind": SessionKind.PLENARY,
            "title": "Clash",
            "starts_at": "2009-11-17T09:30",
            "ends_at": "2009-11-17T10:00",
            "room": accra["hall"].pk,
        },
    )
    assert response.status_code == 200
    assert (
        "Main hall is already booked for \u201cOpening session\u201d" in response.content.decode()
    )
    assert Session.objects.count() == count


def test_organiser_edit_with_end_before_start_shows_reason(client, accra, organiser):
    session = accra["opening"]
    url = reverse("agenda:organise_session", kwargs={"slug": "accra-2009", "pk": session.pk})
    response = client.post(
        url,
        {
            "kind": session.kind,
            "title": "Opening",
            "starts_at": "2009-11-17T10:00",
            "ends_at": "2009-11-17T09:00",
            "room": accra["hall"].pk,
        },
    )
    assert "The session must end after it starts." in response.content.decode()
    session.refresh_from_db()
    assert (session.title, session.sequence) == ("Opening session", 0)


def test_organiser_sees_warning_for_person_in_two_sessions(client, accra, organiser):
    session = accra["youth_session"]
    url = reverse("agenda:organise_part", kwargs={"slug": "accra-2009", "pk": session.pk})
    response = client.post(
        url, {"participant": accra["chair"].pk, "part": "chair", "order": 0}, follow=True
    )
    assert "Kwame Boateng is also in \u201cAgeing societies\u201d at that time." in (
        response.content.decode()
    )


def test_organiser_cancels_session(client, accra, organiser):
    session = accra["closing"]
    url = reverse("agenda:organise_cancel", kwargs={"slug": "accra-2009", "pk": session.pk})
    client.post(url)
    session.refresh_from_db()
    assert session.is_cancelled


def test_organiser_puts_participant_in_working_group(client, accra, organiser):
    url = reverse("agenda:organise_member", kwargs={"slug": "accra-2009"})
    client.post(url, {"participant": accra["observer"].pk, "working_group": accra["ageing"].pk})
    accra["observer"].refresh_from_db()
    assert accra["observer"].working_group == accra["ageing"]
    from agenda.queries import working_group_for

    assert working_group_for(accra["observer"]) == accra["ageing"]
    assert working_group_for(accra["chair"]) is None


def test_agenda_page_shows_an_edit_immediately(client, accra):
    url = agenda_url(accra["meeting"])
    assert "Opening session" in client.get(url).content.decode()
    services.update_session(session=accra["opening"], title="Welcome by the Minister")
    page = client.get(url).content.decode()
    assert "Welcome by the Minister" in page
    assert "Opening session" not in page


def test_agenda_page_and_feed_show_an_edit_made_outside_the_services(client, accra):
    url = agenda_url(accra["meeting"])
    feed_url = reverse("agenda:agenda_ics", kwargs={"slug": "accra-2009"})
    client.get(url)
    client.get(feed_url)
    session = Session.objects.get(pk=accra["closing"].pk)
    session.title = "Closing and adoption of the report"
    session.save()
    assert "Closing and adoption of the report" in client.get(url).content.decode()
    assert b"Closing and adoption of the report" in client.get(feed_url).content


def test_organiser_edit_form_shows_times_in_meeting_zone(client, db):
    meeting = MeetingFactory(
        slug="ny",
        time_zone="America/New_York",
        starts_on=dt.date(2009, 10, 31),
        ends_on=dt.date(2009, 11, 3),
    )
    user = UserFactory(email="ny-organiser@example.org")
    meeting.organisers.add(user)
    client.force_login(user)
    session = SessionFactory(
        meeting=meeting, starts_at=at(meeting, 2, 9), ends_at=at(meeting, 2, 10)
    )
    url = reverse("agenda:organise_session", kwargs={"slug": "ny", "pk": session.pk})
    page = client.get(url).content.decode()
    assert 'value="2009-11-02T09:00"' in page
    assert "Local time in America/New_York (EDT, then EST)." in page
    client.post(
        url,
        {
            "kind": session.kind,
            "title": "Moved",
            "starts_at": "2009-11-02T14:00",
            "ends_at": "2009-11-02T15:00",
        },
    )
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2009, 11, 2, 19, tzinfo=dt.UTC)


def test_organiser_announces_agenda(client, accra, organiser):
    url = reverse("agenda:organise_announce", kwargs={"slug": "accra-2009"})
    response = client.post(url, follow=True)
    accra["meeting"].refresh_from_db()
    assert accra["meeting"].agenda_announced_at is not None
    assert "Agenda announced" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in_for_organiser_pages(client, accra):
    response = client.get(reverse("agenda:organise", kwargs={"slug": "accra-2009"}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_agenda_page_puts_parallel_groups_in_group_order(client, db):
    from tests.factories import RoomFactory, WorkingGroupFactory

    meeting = MeetingFactory(slug="order-2009")
    for name, room in [("Working group 1", "Volta Room"), ("Working group 2", "Ashanti Room")]:
        SessionFactory(
            meeting=meeting,
            kind=SessionKind.WORKING_GROUP,
            title=f"{name}, first session",
            room=RoomFactory(venue=meeting.venue, name=room),
            working_group=WorkingGroupFactory(meeting=meeting, name=name),
            starts_at=at(meeting, 1, 11),
            ends_at=at(meeting, 1, 12, 30),
        )
    page = client.get(agenda_url(meeting)).content.decode()
    assert page.index("Working group 1, first session") < page.index(
        "Working group 2, first session"
    )


def test_organiser_member_form_with_unknown_person_names_the_field(client, accra, organiser):
    url = reverse("agenda:organise_member", kwargs={"slug": "accra-2009"})
    response = client.post(
        url, {"participant": 999999, "working_group": accra["ageing"].pk}, follow=True
    )
    assert "Participant: Select a valid choice." in response.content.decode()
    assert accra["ageing"].members.count() == 1
