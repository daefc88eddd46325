"""'Your meetings': what a signed-in person organises and takes part in, with links."""

import pytest
from django.urls import reverse

from participants.organisers import ensure_organiser

from .support import accepted, clear_cache, future_meeting  # noqa: F401

pytestmark = pytest.mark.django_db

URL = reverse("participant:my_meetings")


def test_an_organiser_sees_each_meetings_organiser_pages_and_the_back_office(client):
    accra = future_meeting(slug="accra-2009", title="Social integration")
    nairobi = future_meeting(slug="nairobi-2010", title="Youth employment")
    organiser, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-password-1", meetings=[accra, nairobi]
    )
    client.force_login(organiser)

    page = client.get(URL).content.decode()

    for slug in ("accra-2009", "nairobi-2010"):
        assert f'href="/m/{slug}/organise/participants/"' in page
        assert f'href="/m/{slug}/organise/agenda/"' in page
        assert f'href="/m/{slug}/organise/papers/"' in page
    assert 'href="/admin/"' in page
    assert "Meetings you take part in" not in page


def test_a_participant_sees_their_portal_for_each_meeting_and_no_back_office(client):
    first = accepted(email="ama@example.org")
    second = accepted(email="ama@example.org")
    client.force_login(first.user)

    page = client.get(URL).content.decode()

    for participant in (first, second):
        assert f'href="/m/{participant.meeting.slug}/me/"' in page
    assert "Meetings you organise" not in page
    assert 'href="/admin/"' not in page


def test_my_participation_is_linked_from_every_page_and_opens_the_one_portal(client):
    participant = accepted(email="ama@example.org")
    client.force_login(participant.user)

    page = client.get(f"/m/{participant.meeting.slug}/").content.decode()
    response = client.get(reverse("participant:my_participation"))

    assert 'href="/my-participation/">My participation</a>' in page
    assert response["Location"] == f"/m/{participant.meeting.slug}/me/"


def test_my_participation_opens_the_list_for_someone_at_two_meetings(client):
    first = accepted(email="ama@example.org")
    accepted(email="ama@example.org")
    client.force_login(first.user)

    response = client.get(reverse("participant:my_participation"))

    assert response["Location"] == URL


def test_staff_see_their_meetings_in_the_header_instead(client):
    meeting = future_meeting(slug="accra-2009")
    organiser, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-password-1", meetings=[meeting]
    )
    client.force_login(organiser)

    page = client.get("/").content.decode()

    assert f'href="{URL}">Your meetings</a>' in page
    assert "My participation" not in page


def test_the_list_asks_signed_out_visitors_to_sign_in(client):
    assert client.get(URL)["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize("meetings", [1, 3])
def test_the_list_reads_a_fixed_number_of_queries(client, django_assert_num_queries, meetings):
    user = None
    for _ in range(meetings):
        user = accepted(email="ama@example.org").user
    client.force_login(user)

    # Session, user, organised meetings, participations.
    with django_assert_num_queries(4):
        client.get(URL)
