"""Participant pages of the admin: the list stays cheap, passports stay out of lists."""

import pytest
from django.urls import reverse

from participants.models import Registration, User
from participants.organisers import ensure_organiser
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def register(participant, passport_number: str) -> Registration:
    return RegistrationFactory(participant=participant, passport_number=passport_number)


@pytest.mark.parametrize("size", [3, 30])
def test_participant_changelist_queries_do_not_grow_with_rows(
    superuser_client, django_assert_num_queries, size
):
    meeting = MeetingFactory()
    ParticipantFactory.create_batch(size, meeting=meeting)

    with django_assert_num_queries(6):
        response = superuser_client.get(reverse("admin:participants_participant_changelist"))

    assert len(response.context["cl"].result_list) == size


@pytest.mark.parametrize(
    "url_name",
    ["admin:participants_participant_changelist", "admin:participants_registration_changelist"],
)
def test_admin_lists_never_show_the_passport_number(superuser_client, url_name):
    participant = ParticipantFactory(family_name="Okafor")
    register(participant, "A07731942")

    response = superuser_client.get(reverse(url_name))

    assert "Okafor" in response.text
    assert "A07731942" not in response.text


def test_admin_registration_page_shows_the_passport_number_to_its_organiser(superuser_client):
    registration = register(ParticipantFactory(), "A07731942")

    response = superuser_client.get(
        reverse("admin:participants_registration_change", args=[registration.pk])
    )

    assert "A07731942" in response.text


def test_admin_adds_a_user_by_email_alone(superuser_client):
    response = superuser_client.post(
        reverse("admin:participants_user_add"),
        {
            "email": "New.Organiser@Example.org",
            "usable_password": "true",
            "password1": "correct-horse-battery-staple",
            "password2": "correct-horse-battery-staple",
        },
    )

    user = User.objects.get(email__iexact="new.organiser@example.org")
    assert response.status_code == 302
    assert user.check_password("correct-horse-battery-staple")


def test_admin_participant_status_cannot_be_edited(superuser_client):
    participant = ParticipantFactory()

    response = superuser_client.get(
        reverse("admin:participants_participant_change", args=[participant.pk])
    )

    # The status changes through the services, which keep its history.
    assert "status" not in response.context["adminform"].form.fields


def test_participant_changelist_shows_the_country_by_name(superuser_client):
    ParticipantFactory(family_name="Mensah", country="GH")

    response = superuser_client.get(
        reverse("admin:participants_participant_changelist"), {"o": "6"}
    )

    assert '<td class="field-country_name">Ghana</td>' in response.text


def test_admin_participant_page_gives_an_organiser_no_lookup_into_user_accounts(client):
    meeting = MeetingFactory()
    participant = ParticipantFactory(meeting=meeting, user=UserFactory(email="ama@example.org"))
    organiser, _ = ensure_organiser(
        email="dspd@example.org", password="a-long-test-password", meetings=[meeting]
    )
    client.force_login(organiser)

    response = client.get(reverse("admin:participants_participant_change", args=[participant.pk]))

    assert response.status_code == 200
    assert "user" not in response.context["adminform"].form.fields
    assert reverse("admin:participants_user_changelist") not in response.text
    assert "ama@example.org" in response.text
    assert client.get(reverse("admin:participants_participant_add")).status_code == 200
