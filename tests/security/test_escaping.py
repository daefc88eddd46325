"""Script in a participant's names and organisation is shown as text on every page that
shows them: organiser pages, the portal, the public list and programme, the admin."""

import pytest
from django.urls import reverse

from participants.models import SessionRole, Status
from tests.factories import (
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)
from tests.participants.support import future_meeting

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'


@pytest.fixture
def hostile():
    meeting = future_meeting(slug="accra")
    person = ParticipantFactory(
        meeting=meeting,
        status=Status.REGISTERED,
        user=UserFactory(),
        honorific=ATTRIBUTE[:30],
        given_name=SCRIPT,
        family_name=ATTRIBUTE,
        organisation=SCRIPT,
        role="expert",
    )
    RegistrationFactory(participant=person, consent_listed=True)
    session = SessionFactory(meeting=meeting, starts_at=meeting.starts_at)
    SessionRole.objects.create(session=session, participant=person, part="speaker")
    return meeting, person


def assert_escaped(response):
    assert response.status_code == 200
    body = response.content
    assert SCRIPT.encode() not in body
    assert b"<img src=x" not in body


def test_script_in_names_is_escaped_on_organiser_pages(client, hostile):
    meeting, person = hostile
    organiser = UserFactory(is_staff=True, is_superuser=True)
    meeting.organisers.add(organiser)
    client.force_login(organiser)
    urls = [
        reverse("participants:tracker", args=[meeting.slug]),
        reverse("participants:tracker", args=[meeting.slug]) + "?page=all",
        reverse("participant:organise_participant", kwargs={"slug": meeting.slug, "pk": person.pk}),
        reverse("papers:tracker", kwargs={"slug": meeting.slug}),
        reverse("agenda:organise", kwargs={"slug": meeting.slug}),
        "/admin/participants/participant/",
        f"/admin/participants/participant/{person.pk}/change/",
    ]
    for url in urls:
        response = client.get(url)
        assert_escaped(response)
    tracker = client.get(urls[0]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tracker


def test_script_in_names_is_escaped_on_public_and_participant_pages(client, hostile):
    meeting, person = hostile
    public = [
        reverse("agenda:meeting", kwargs={"slug": meeting.slug}),
        reverse("agenda:agenda", kwargs={"slug": meeting.slug}),
        reverse("participants:public_list", args=[meeting.slug]),
    ]
    for url in public:
        assert_escaped(client.get(url))
    listed = client.get(public[2]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed
    client.force_login(person.user)
    for url in (
        reverse("participant:portal", kwargs={"slug": meeting.slug}),
        reverse("participant:registration", kwargs={"slug": meeting.slug}),
        reverse("participant:my_meetings"),
    ):
        assert_escaped(client.get(url))
