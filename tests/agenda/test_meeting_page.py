"""The public meeting page: what, where, when, and the agenda in the meeting's own time."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from agenda.demo import DEMO_SLUG, load_demo
from agenda.models import SessionKind
from tests.factories import MeetingFactory, RoomFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def page(client, meeting):
    return client.get(reverse("agenda:meeting", kwargs={"slug": meeting.slug}))


def test_meeting_page_shows_the_accra_meeting_and_its_agenda_by_day(client):
    meeting = load_demo().meeting

    response = page(client, meeting)

    assert response.status_code == 200
    text = response.text
    for fact in (
        "Practical Strategies to Promote Social Integration",
        "17 November 2009",
        "19 November 2009",
        "ALISA Hotel, Accra, Ghana",
        "Ministry of Employment and Social Welfare, Government of Ghana",
        "Division for Social Policy and Development",
        "Commission for Social Development",
        "egm-social-integration@example.org",
        "All times are Africa/Accra (GMT)",
        "Tuesday 17 November 2009",
        "Wednesday 18 November 2009",
        "Thursday 19 November 2009",
        "Closing plenary: conclusions and recommendations",
    ):
        assert fact in text
    days = response.context["programme"]
    assert [day.day for day in days] == [
        dt.date(2009, 11, 17),
        dt.date(2009, 11, 18),
        dt.date(2009, 11, 19),
    ]
    first = days[0].slots[0]
    assert (first.starts_at.strftime("%H:%M"), first.sessions[0].title) == (
        "09:00",
        "Opening of the meeting",
    )


def test_meeting_page_puts_parallel_working_groups_side_by_side(client):
    meeting = load_demo().meeting

    response = page(client, meeting)

    second_day = response.context["programme"][1]
    parallel = [slot for slot in second_day.slots if len(slot.sessions) > 1]
    assert [slot.starts_at.strftime("%H:%M") for slot in parallel] == ["11:00", "14:00"]
    assert {session.kind for session in parallel[0].sessions} == {SessionKind.WORKING_GROUP}
    assert sorted(session.room.name for session in parallel[0].sessions) == [
        "Ashanti Room",
        "Osu Room",
        "Volta Room",
    ]


def test_meeting_page_shows_the_paper_deadline_at_local_end_of_day(client):
    meeting = load_demo().meeting

    response = page(client, meeting)

    assert "5 November 2009, 23:59" in response.text


def test_meeting_page_shows_new_york_times_in_new_york(client):
    venue = VenueFactory(name="Conference Building", city="New York", country="US")
    meeting = MeetingFactory(
        venue=venue,
        time_zone="America/New_York",
        starts_on=dt.date(2010, 2, 3),
        ends_on=dt.date(2010, 2, 3),
    )
    # 14:00 UTC is 09:00 in New York in February (EST, UTC-5).
    SessionFactory(
        meeting=meeting,
        title="Opening of the session",
        starts_at=dt.datetime(2010, 2, 3, 14, 0, tzinfo=UTC),
        ends_at=dt.datetime(2010, 2, 3, 15, 30, tzinfo=UTC),
    )
    # 02:30 UTC on 4 February is still the evening of 3 February in New York.
    SessionFactory(
        meeting=meeting,
        kind=SessionKind.RECEPTION,
        title="Late reception",
        starts_at=dt.datetime(2010, 2, 4, 2, 30, tzinfo=UTC),
        ends_at=dt.datetime(2010, 2, 4, 3, 30, tzinfo=UTC),
    )

    response = page(client, meeting)

    assert "All times are America/New_York (EST)" in response.text
    [day] = response.context["programme"]
    assert day.day == dt.date(2010, 2, 3)
    assert [slot.starts_at.strftime("%H:%M") for slot in day.slots] == ["09:00", "21:30"]
    assert [slot.starts_at.tzinfo for slot in day.slots] == [
        zoneinfo.ZoneInfo("America/New_York")
    ] * 2
    assert '<time datetime="2010-02-03T09:00:00-05:00">09:00</time>' in response.text
    assert '<time datetime="2010-02-03T21:30:00-05:00">21:30</time>' in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_meeting_page_queries_do_not_grow_with_sessions(client, django_assert_num_queries, size):
    meeting = MeetingFactory()
    room = RoomFactory(venue=meeting.venue)
    start = dt.datetime(2009, 11, 17, 8, 0, tzinfo=UTC)
    for number in range(size):
        SessionFactory(
            meeting=meeting,
            room=room,
            starts_at=start + dt.timedelta(hours=number % 10, days=number // 10),
            ends_at=start + dt.timedelta(hours=number % 10, days=number // 10, minutes=45),
        )

    # The meeting, its sessions, the people in them, its deadlines.
    with django_assert_num_queries(4):
        response = page(client, meeting)

    assert (
        sum(len(slot.sessions) for day in response.context["programme"] for slot in day.slots)
        == size
    )


def test_meeting_page_unknown_slug_is_404(client):
    response = client.get(reverse("agenda:meeting", kwargs={"slug": "no-such-meeting"}))

    assert response.status_code == 404


def test_meeting_page_unpublished_meeting_is_404(client):
    meeting = MeetingFactory(is_published=False)

    response = page(client, meeting)

    assert response.status_code == 404


def test_meeting_page_has_skip_link_and_landmarks(client):
    meeting = MeetingFactory()

    text = page(client, meeting).text

    assert text.index('<a class="skip-link" href="#main">') < text.index("<header")
    for landmark in ("<header", '<nav aria-label="Account">', '<main id="main"', "<footer"):
        assert landmark in text


def test_home_lists_published_meetings_only(client):
    load_demo()
    MeetingFactory(slug="draft", title="A draft meeting", is_published=False)

    response = client.get(reverse("agenda:home"))

    assert reverse("agenda:meeting", kwargs={"slug": DEMO_SLUG}) in response.text
    assert "A draft meeting" not in response.text
