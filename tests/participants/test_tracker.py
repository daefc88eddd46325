import datetime as dt

import pytest
from django.urls import reverse

from participants.models import Role, Status
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(slug="accra-2009")


@pytest.fixture
def organiser_client(client, meeting):
    user = UserFactory()
    meeting.organisers.add(user)
    client.force_login(user)
    return client


def tracker_url(meeting, **params):
    url = reverse("participants:tracker", kwargs={"slug": meeting.slug})
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def listed_emails(response) -> list[str]:
    return [row.email for row in response.context["rows"]]


def test_tracker_counts_by_status_and_role(organiser_client, meeting):
    ParticipantFactory.create_batch(2, meeting=meeting, status=Status.ACCEPTED)
    ParticipantFactory(meeting=meeting, status=Status.INVITED, role=Role.OBSERVER)
    ParticipantFactory(status=Status.ACCEPTED)  # another meeting's participant

    response = organiser_client.get(tracker_url(meeting))

    counts = response.context["counts"]
    assert [(value, count) for value, _, count in counts["status"] if count] == [
        ("invited", 1),
        ("accepted", 2),
    ]
    assert [(value, count) for value, _, count in counts["role"] if count] == [
        ("expert", 2),
        ("observer", 1),
    ]


def test_tracker_filters_by_role_status_country_and_funded(organiser_client, meeting):
    ParticipantFactory(meeting=meeting, email="a@example.org", role=Role.EXPERT, funded=True)
    ParticipantFactory(meeting=meeting, email="b@example.org", role=Role.OBSERVER, funded=False)
    ParticipantFactory(
        meeting=meeting,
        email="c@example.org",
        role=Role.EXPERT,
        funded=False,
        country="KE",
        status=Status.DECLINED,
    )

    assert listed_emails(organiser_client.get(tracker_url(meeting, role="expert"))) == [
        "a@example.org",
        "c@example.org",
    ]
    assert listed_emails(organiser_client.get(tracker_url(meeting, funded="no"))) == [
        "b@example.org",
        "c@example.org",
    ]
    assert listed_emails(organiser_client.get(tracker_url(meeting, country="KE"))) == [
        "c@example.org"
    ]
    assert listed_emails(
        organiser_client.get(tracker_url(meeting, status="declined", role="expert"))
    ) == ["c@example.org"]


def test_tracker_search_matches_name_email_and_organisation(organiser_client, meeting):
    ParticipantFactory(
        meeting=meeting,
        email="ama@example.org",
        given_name="Ama",
        family_name="Mensah",
        organisation="University of Ghana",
    )
    ParticipantFactory(
        meeting=meeting,
        email="kofi@un.org",
        given_name="Kofi",
        family_name="Boateng",
        organisation="UN DESA",
    )

    assert listed_emails(organiser_client.get(tracker_url(meeting, q="mensah"))) == [
        "ama@example.org"
    ]
    assert listed_emails(organiser_client.get(tracker_url(meeting, q="un.org"))) == ["kofi@un.org"]
    assert listed_emails(organiser_client.get(tracker_url(meeting, q="desa"))) == ["kofi@un.org"]


def test_tracker_balance_of_filtered_set(organiser_client, meeting):
    ParticipantFactory(meeting=meeting, gender="female", region="africa", role=Role.EXPERT)
    ParticipantFactory(meeting=meeting, gender="female", region="europe", role=Role.EXPERT)
    ParticipantFactory(meeting=meeting, gender="male", region="africa", role=Role.EXPERT)
    ParticipantFactory(meeting=meeting, gender="", region="asia", role=Role.EXPERT)
    ParticipantFactory(meeting=meeting, gender="male", region="asia", role=Role.OBSERVER)

    balance = organiser_client.get(tracker_url(meeting, role="expert")).context["balance"]

    assert balance["total"] == 4
    assert [(s.value, s.count, s.percent) for s in balance["gender"]] == [
        ("female", 2, 50.0),
        ("male", 1, 25.0),
        ("other", 0, 0.0),
        ("", 1, 25.0),
    ]
    assert [(s.value, s.count, s.percent) for s in balance["region"]] == [
        ("africa", 2, 50.0),
        ("americas", 0, 0.0),
        ("asia", 1, 25.0),
        ("europe", 1, 25.0),
        ("oceania", 0, 0.0),
        ("", 0, 0.0),
    ]


def test_tracker_row_shows_dates_in_meeting_zone_and_selection_hook(organiser_client):
    meeting = MeetingFactory(time_zone="America/New_York")
    user = UserFactory()
    meeting.organisers.add(user)
    organiser_client.force_login(user)
    ParticipantFactory(
        meeting=meeting,
        email="ama@example.org",
        status=Status.INVITED,
        invited_at=dt.datetime(2009, 10, 1, 14, 0, tzinfo=dt.UTC),
    )

    response = organiser_client.get(tracker_url(meeting))

    html = response.content.decode()
    assert "2009-10-01 10:00" in html
    assert 'name="participant"' in html
    assert "America/New_York (EST)" in html


def test_tracker_paginates_and_keeps_all_reachable(organiser_client, meeting):
    ParticipantFactory.create_batch(105, meeting=meeting)

    first = organiser_client.get(tracker_url(meeting))
    second = organiser_client.get(tracker_url(meeting, page=2))
    everything = organiser_client.get(tracker_url(meeting, page="all"))

    assert (len(first.context["rows"]), len(second.context["rows"])) == (100, 5)
    assert len(everything.context["rows"]) == 105
    assert first.context["balance"]["total"] == 105


def test_tracker_bad_filter_value_is_reported_and_ignored(organiser_client, meeting):
    ParticipantFactory(meeting=meeting)

    response = organiser_client.get(tracker_url(meeting, role="astronaut"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert "Select a valid choice" in response.content.decode()


def test_tracker_query_count_does_not_grow(organiser_client, meeting, django_assert_num_queries):
    ParticipantFactory.create_batch(3, meeting=meeting)
    with django_assert_num_queries(9) as small:
        organiser_client.get(tracker_url(meeting))
    ParticipantFactory.create_batch(37, meeting=meeting)

    with django_assert_num_queries(len(small.captured_queries)):
        response = organiser_client.get(tracker_url(meeting, page="all"))

    assert len(response.context["rows"]) == 40


def test_tracker_hides_other_meetings_from_their_organiser(client, meeting):
    user = UserFactory()
    MeetingFactory().organisers.add(user)
    client.force_login(user)

    assert client.get(tracker_url(meeting)).status_code == 404
    assert client.get(reverse("participants:export_csv", args=[meeting.slug])).status_code == 404


def test_tracker_sends_anonymous_visitors_to_sign_in(client, meeting):
    response = client.get(tracker_url(meeting))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_tracker_refuses_participants_of_the_meeting(client, meeting):
    participant = ParticipantFactory(meeting=meeting, user=UserFactory())
    client.force_login(participant.user)

    assert client.get(tracker_url(meeting)).status_code == 404


def test_tracker_balance_also_counts_those_holding_a_seat(organiser_client, meeting):
    ParticipantFactory(meeting=meeting, gender="female", region="africa", status=Status.REGISTERED)
    ParticipantFactory(meeting=meeting, gender="female", region="europe", status=Status.ACCEPTED)
    ParticipantFactory(meeting=meeting, gender="male", region="africa", status=Status.ATTENDED)
    ParticipantFactory(meeting=meeting, gender="male", region="asia", status=Status.DECLINED)
    ParticipantFactory(meeting=meeting, gender="male", region="asia", status=Status.WAITLISTED)

    response = organiser_client.get(tracker_url(meeting))

    balance = response.context["balance"]
    assert (balance["total"], balance["seated"]) == (5, 3)
    assert [(s.value, s.seated, s.seated_percent) for s in balance["gender"]] == [
        ("female", 2, 66.7),
        ("male", 1, 33.3),
        ("other", 0, 0.0),
        ("", 0, 0.0),
    ]
    assert [(s.value, s.seated) for s in balance["region"]][:3] == [
        ("africa", 2),
        ("americas", 0),
        ("asia", 0),
    ]
    assert "Of them, 3 hold a seat" in response.text


def test_tracker_filters_by_seat_gender_and_region(organiser_client, meeting):
    ParticipantFactory(
        meeting=meeting, email="a@example.org", status=Status.REGISTERED, gender="female"
    )
    ParticipantFactory(
        meeting=meeting, email="b@example.org", status=Status.DECLINED, gender="female"
    )
    ParticipantFactory(
        meeting=meeting, email="c@example.org", status=Status.ACCEPTED, gender="", region=""
    )

    def emails(**params):
        return sorted(listed_emails(organiser_client.get(tracker_url(meeting, **params))))

    assert emails(seated="yes") == ["a@example.org", "c@example.org"]
    assert emails(seated="no") == ["b@example.org"]
    assert emails(seated="yes", gender="female") == ["a@example.org"]
    assert emails(gender="not_stated") == ["c@example.org"]
    assert emails(region="not_stated") == ["c@example.org"]
    assert emails(region="africa") == ["a@example.org", "b@example.org"]
