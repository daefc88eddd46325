"""Participant pages of the admin: the list stays cheap, passports stay out of lists."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
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


def test_a_staff_account_made_in_the_admin_signs_in_on_the_site(superuser_client, client):
    superuser_client.post(
        reverse("admin:participants_user_add"),
        {
            "email": "new.organiser@example.org",
            "usable_password": "true",
            "password1": "correct-horse-battery-staple",
            "password2": "correct-horse-battery-staple",
        },
    )
    user = User.objects.get(email="new.organiser@example.org")
    url = reverse("admin:participants_user_change", args=[user.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name not in ("password", "groups")
    }
    data.update({"is_staff": "on", "is_active": "on", "user_permissions": []})
    data.update({"date_joined_0": "2026-01-01", "date_joined_1": "09:00:00"})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    assert superuser_client.post(url, data).status_code == 302

    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "new.organiser@example.org", "password": "correct-horse-battery-staple"},
    )

    assert response["Location"] == "/admin/"
    assert EmailAddress.objects.get(user=user).verified is True


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


def test_admin_registration_edit_keeps_the_passport_rule(superuser_client):
    meeting = MeetingFactory(ends_on=dt.date(2009, 11, 19), starts_on=dt.date(2009, 11, 17))
    registration = register(ParticipantFactory(meeting=meeting), "A07731942")
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        participant=registration.participant.pk,
        passport_expires_on="2010-01-31",
        completed_at_0="2009-10-01",
        completed_at_1="10:00",
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "six months after the meeting ends" in str(
        response.context["adminform"].form.errors["passport_expires_on"]
    )
    registration.refresh_from_db()
    assert registration.passport_expires_on == dt.date(2035, 1, 1)


def test_admin_adds_no_registration_beside_the_service(superuser_client):
    participant = ParticipantFactory()
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    page = superuser_client.get(url)
    data = {
        name: value
        for name, value in (
            (name, page.context["adminform"].form[name].value())
            for name in page.context["adminform"].form.fields
        )
        if value is not None
    }
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        for key, value in inline.formset.management_form.initial.items():
            data[f"{prefix}-{key}"] = value
    data.update(
        {
            "registration-TOTAL_FORMS": "1",
            "registration-0-passport_name": "MENSAH AMA",
            "registration-0-nationality": "GH",
            "registration-0-date_of_birth": "1970-04-02",
            "registration-0-passport_number": "G1234567",
            "registration-0-passport_issuing_country": "GH",
            "registration-0-passport_expires_on": "2035-01-01",
            "registration-0-emergency_contact_name": "Kofi",
            "registration-0-emergency_contact_phone": "+233 20 000 0000",
        }
    )

    superuser_client.post(url, data)
    add = superuser_client.get(reverse("admin:participants_registration_add"))

    assert Registration.objects.count() == 0
    assert add.status_code == 403
