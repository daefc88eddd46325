"""The calendar feeds: valid RFC 5545 for both parsers, the right events for each person."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from agenda import services
from agenda.models import Deadline, DeadlineKind, SessionKind
from logistics.models import HotelBooking, TravelPlan
from participants.models import Registration, Role, Status
from participants.programme import services as programme
from tests.agenda.conftest import at
from tests.agenda.ics import bare_newlines, events_by_summary, long_lines, parse
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    WorkingGroupFactory,
)


def get_feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.ics"')
    return response.content


def personal_url(participant) -> str:
    token = programme.ensure_calendar_token(participant=participant)
    return reverse("agenda:personal_ics", kwargs={"slug": participant.meeting.slug, "token": token})


def test_meeting_feed_is_valid_with_required_fields(client, accra):
    meeting = accra["meeting"]
    content = get_feed(client, reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug}))
    calendar = parse(content)
    assert str(calendar["PRODID"]) == "-//EGM Desk//Meeting calendar//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Africa/Accra"]
    events = events_by_summary(calendar)
    assert sorted(events) == [
        "Ageing societies (Older persons)",
        "Closing session",
        "Opening session",
        "Youth inclusion (Youth and employment)",
    ]
    opening = events["Opening session"]
    assert str(opening["UID"]) == f"{accra['opening'].uid}@egm-desk"
    assert opening["SEQUENCE"] == 0
    assert opening["DTSTAMP"].dt.tzinfo is not None
    assert opening["DTSTART"].params["TZID"] == "Africa/Accra"
    assert opening["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2009, 11, 17, 9, 0)
    assert str(opening["LOCATION"]) == "Main hall, ALISA Hotel, Accra, Ghana"
    assert str(opening["STATUS"]) == "CONFIRMED"
    assert str(opening["DESCRIPTION"]) == "Chair: Dr. Kwame Boateng"


def test_meeting_feed_lines_are_folded_and_end_in_crlf(client, accra):
    meeting = accra["meeting"]
    services.update_session(
        session=accra["opening"],
        description="Welcome by the Minister of Employment and Social Welfare; " * 5,
    )
    content = get_feed(client, reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug}))
    assert b"Minister" in content
    assert long_lines(content) == []
    assert bare_newlines(content) == 0
    assert content.endswith(b"END:VCALENDAR\r\n")


def test_meeting_feed_shows_cancelled_session_as_cancelled(client, accra):
    meeting = accra["meeting"]
    services.cancel_session(session=accra["closing"])
    content = get_feed(client, reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug}))
    closing = events_by_summary(parse(content))["Cancelled: Closing session"]
    assert str(closing["STATUS"]) == "CANCELLED"
    assert closing["SEQUENCE"] == 1


def test_meeting_feed_shows_an_edit_immediately(client, accra):
    meeting = accra["meeting"]
    url = reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})
    before = events_by_summary(parse(get_feed(client, url)))
    services.update_session(session=accra["opening"], title="Opening and welcome")
    after = events_by_summary(parse(get_feed(client, url)))
    assert "Opening session" in before
    assert "Opening session" not in after
    assert after["Opening and welcome"]["UID"] == before["Opening session"]["UID"]
    assert after["Opening and welcome"]["SEQUENCE"] == 1


def test_meeting_feed_query_count_is_constant(client, accra, django_assert_max_num_queries):
    meeting = accra["meeting"]
    url = reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})
    with django_assert_max_num_queries(5):
        get_feed(client, url)


def test_group_feed_holds_its_sessions_and_plenaries(client, accra):
    meeting = accra["meeting"]
    url = reverse("agenda:group_ics", kwargs={"slug": meeting.slug, "group_slug": "youth"})
    events = events_by_summary(parse(get_feed(client, url)))
    assert sorted(events) == [
        "Closing session",
        "Opening session",
        "Youth inclusion (Youth and employment)",
    ]


def test_group_feed_unknown_group_is_404(client, accra):
    url = reverse("agenda:group_ics", kwargs={"slug": accra["meeting"].slug, "group_slug": "nope"})
    assert client.get(url).status_code == 404


def test_personal_feed_of_chair_holds_plenaries_and_chaired_group_session(client, accra):
    events = events_by_summary(parse(get_feed(client, personal_url(accra["chair"]))))
    # A UN Secretariat chair owes no paper and no deadline exists yet.
    assert sorted(events) == [
        "Ageing societies (Older persons)",
        "Closing session",
        "Opening session",
        "Practical Strategies to Promote Social Integration",
    ]


def test_personal_feed_of_expert_holds_group_deadlines_with_alarms(client, accra):
    meeting = accra["meeting"]
    Deadline.objects.create(
        meeting=meeting,
        kind=DeadlineKind.PAPER,
        due_at=meeting.end_of_day(dt.date(2009, 11, 5)),
        roles=["expert"],
        description="Expert paper (5-10 pages)",
    )
    Deadline.objects.create(
        meeting=meeting,
        kind=DeadlineKind.REGISTRATION,
        due_at=meeting.end_of_day(dt.date(2009, 10, 20)),
        roles=[],
        description="Registration",
    )
    Deadline.objects.create(
        meeting=meeting,
        kind=DeadlineKind.VISA_REQUEST,
        due_at=meeting.end_of_day(dt.date(2009, 10, 1)),
        roles=["government"],
        description="Visa support request",
    )
    calendar = parse(get_feed(client, personal_url(accra["expert"])))
    events = events_by_summary(calendar)
    assert sorted(events) == [
        "Closing session",
        "Opening session",
        "Paper due: EGM Social Integration",
        "Practical Strategies to Promote Social Integration",
        "Registration due: EGM Social Integration",
        "Youth inclusion (Youth and employment)",
    ]
    paper = events["Paper due: EGM Social Integration"]
    assert paper["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2009, 11, 5, 23, 59, 59)
    # A point in time: no DTEND (RFC 5545 forbids one equal to DTSTART), the rest explained.
    assert "DTEND" not in paper
    assert "DURATION" not in paper
    assert str(paper["DESCRIPTION"]) == (
        "Expert paper (5-10 pages)\n"
        "Due Thursday 5 November 2009, 23:59 Africa/Accra (GMT).\n"
        f"{settings.SITE_URL}/m/accra-2009/agenda/"
    )
    alarms = paper.walk("VALARM")
    assert [str(alarm["ACTION"]) for alarm in alarms] == ["DISPLAY", "DISPLAY"]
    assert [alarm["TRIGGER"].dt for alarm in alarms] == [
        -dt.timedelta(days=7),
        -dt.timedelta(days=1),
    ]
    assert all(str(alarm["DESCRIPTION"]) for alarm in alarms)


def test_personal_feed_of_observer_holds_only_plenaries(client, accra):
    Deadline.objects.create(
        meeting=accra["meeting"],
        kind=DeadlineKind.PAPER,
        due_at=accra["meeting"].end_of_day(dt.date(2009, 11, 5)),
        roles=["expert"],
    )
    events = events_by_summary(parse(get_feed(client, personal_url(accra["observer"]))))
    assert sorted(events) == [
        "Closing session",
        "Opening session",
        "Practical Strategies to Promote Social Integration",
    ]


def test_personal_feed_holds_flights_and_hotel_stay(client, accra):
    expert = accra["expert"]
    meeting = accra["meeting"]
    TravelPlan.objects.create(
        participant=expert,
        arrival_flight="KL589",
        arrival_at=at(meeting, -1, 18, 30),
        departure_flight="KL590",
        departure_at=at(meeting, 3, 22, 0),
    )
    HotelBooking.objects.create(
        participant=expert,
        hotel=meeting.venue,
        check_in=dt.date(2009, 11, 16),
        check_out=dt.date(2009, 11, 20),
    )
    events = events_by_summary(parse(get_feed(client, personal_url(expert))))
    assert events["Arrival: flight KL589"]["DTSTART"].dt.replace(tzinfo=None) == (
        dt.datetime(2009, 11, 16, 18, 30)
    )
    assert "Departure: flight KL590" in events
    stay = events["Hotel stay: ALISA Hotel, Accra"]
    assert stay["DTSTART"].dt == dt.date(2009, 11, 16)
    assert stay["DTEND"].dt == dt.date(2009, 11, 20)


def test_personal_feed_leaks_no_personal_data(client, accra):
    expert = accra["expert"]
    Registration.objects.create(
        participant=expert,
        passport_name="Amina Diallo",
        nationality="SN",
        date_of_birth=dt.date(1970, 3, 4),
        passport_number="A1234567",
        passport_issuing_country="SN",
        passport_expires_on=dt.date(2015, 1, 1),
        emergency_contact_name="Moussa Diallo",
        emergency_contact_phone="+221 555",
        completed_at=accra["meeting"].starts_at,
    )
    content = get_feed(client, personal_url(expert))
    for secret in (b"A1234567", b"1970", b"Moussa", b"expert@example.org", b"+221"):
        assert secret not in content


def test_personal_feed_revoked_token_is_404(client, accra):
    expert = accra["expert"]
    old_url = personal_url(expert)
    assert client.get(old_url).status_code == 200
    programme.revoke_calendar_token(participant=expert)
    response = client.get(old_url)
    assert response.status_code == 404
    assert b"Diallo" not in response.content
    assert client.get(personal_url(expert)).status_code == 200


def test_personal_feed_unknown_token_or_other_meeting_is_404(client, accra):
    token = programme.ensure_calendar_token(participant=accra["expert"])
    other = MeetingFactory(slug="other")
    for slug, value in (("accra-2009", "nope"), ("other", token)):
        url = reverse("agenda:personal_ics", kwargs={"slug": slug, "token": value})
        assert client.get(url).status_code == 404
    assert other.pk


def test_ensure_calendar_token_keeps_the_token(accra):
    expert = accra["expert"]
    first = programme.ensure_calendar_token(participant=expert)
    assert programme.ensure_calendar_token(participant=expert) == first
    assert len(first) >= 40


@pytest.fixture
def new_york(db):
    """A meeting in New York over the end of daylight saving time (1 November 2009)."""
    meeting = MeetingFactory(
        slug="ny-2009",
        time_zone="America/New_York",
        starts_on=dt.date(2009, 10, 31),
        ends_on=dt.date(2009, 11, 3),
    )
    room = RoomFactory(venue=meeting.venue, name="Conference room 1")
    before = SessionFactory(
        meeting=meeting,
        title="Saturday plenary",
        room=room,
        starts_at=at(meeting, 0, 9),
        ends_at=at(meeting, 0, 10),
    )
    after = SessionFactory(
        meeting=meeting,
        title="Monday plenary",
        room=room,
        starts_at=at(meeting, 2, 9),
        ends_at=at(meeting, 2, 10),
    )
    return meeting, before, after


def test_feed_across_dst_change_keeps_local_times(client, new_york):
    meeting, before, after = new_york
    assert before.starts_at.astimezone(dt.UTC).hour == 13  # EDT, UTC-4
    assert after.starts_at.astimezone(dt.UTC).hour == 14  # EST, UTC-5
    content = get_feed(client, reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug}))
    calendar = parse(content)
    events = events_by_summary(calendar)
    for title, day in (("Saturday plenary", 31), ("Monday plenary", 2)):
        start = events[title]["DTSTART"]
        assert start.params["TZID"] == "America/New_York"
        assert start.dt.hour == 9
        assert start.dt.day == day
    # icalendar resolves TZID with the file's own VTIMEZONE: 13:00 and 14:00 UTC.
    assert events["Saturday plenary"]["DTSTART"].dt.astimezone(dt.UTC).hour == 13
    assert events["Monday plenary"]["DTSTART"].dt.astimezone(dt.UTC).hour == 14
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "America/New_York"
    kinds = {component.name for component in vtimezone.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}


def test_agenda_page_across_dst_change_shows_local_times(client, new_york):
    meeting, _, _ = new_york
    response = client.get(reverse("agenda:agenda", kwargs={"slug": meeting.slug}))
    page = response.content.decode()
    zone = '<span class="muted zone">&middot; times in America/New_York'
    assert f"Saturday 31 October 2009 {zone} (EDT)</span>" in page
    assert f"Monday 2 November 2009 {zone} (EST)</span>" in page
    assert page.count(">09:00</time>") == 2


def test_group_sessions_and_membership_stay_per_meeting(accra):
    other_group = WorkingGroupFactory(meeting=MeetingFactory(slug="elsewhere"))
    with pytest.raises(Exception) as error:
        programme.set_working_group(participant=accra["observer"], working_group=other_group)
    assert "another meeting" in str(error.value)
    accra["observer"].refresh_from_db()
    assert accra["observer"].working_group is None


def test_kinds_and_roles_in_factories_are_what_tests_assume(accra):
    assert accra["opening"].kind == SessionKind.OPENING
    assert accra["expert"].role == Role.EXPERT
    assert accra["observer"].status == Status.ACCEPTED
    assert ParticipantFactory._meta.model.__name__ == "Participant"


def test_meeting_feed_keeps_accents_and_punctuation_through_folding(client, accra):
    meeting = accra["meeting"]
    title = "Intégration sociale; «leçons», Côte d'Ivoire, São Tomé \\ Príncipe " * 3
    description = "Première ligne, avec virgule; point-virgule\nDeuxième ligne: ü ß 中文 " * 4
    services.update_session(session=accra["opening"], title=title, description=description)
    chair = accra["chair"]
    chair.given_name = "Kwamé"
    chair.save()
    content = get_feed(client, reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug}))
    assert long_lines(content) == []
    assert bare_newlines(content) == 0
    content.decode("utf-8")  # folding never splits a character
    opening = events_by_summary(parse(content))[title]
    assert str(opening["DESCRIPTION"]) == f"{description}\nChair: Dr. Kwamé Boateng"
    assert opening["SEQUENCE"] == 1
