"""The back office's login is the site's sign-in, with its rate limits; password pages."""

import pytest
from django.urls import reverse

from participants.models import User
from participants.organisers import ensure_organiser

from .support import clear_cache, future_meeting  # noqa: F401

pytestmark = pytest.mark.django_db

PASSWORD = "organiser-password-for-accra"


@pytest.fixture
def organiser():
    meeting = future_meeting(slug="accra-2009")
    user, _ = ensure_organiser(email="organiser@example.org", password=PASSWORD, meetings=[meeting])
    return user


def test_admin_login_page_sends_to_the_site_sign_in_with_next(client):
    response = client.get("/admin/login/?next=/admin/participants/participant/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fparticipants%2Fparticipant%2F"


def test_the_back_office_asks_signed_out_visitors_to_use_the_site_sign_in(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert "Send me a sign-in code" in response.content.decode()


def test_admin_login_ignores_a_next_to_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example.com/")

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_password_posted_to_the_admin_login_signs_nobody_in(client, organiser):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": organiser.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_for_an_organiser_are_refused(client, organiser):
    login = reverse("account_login") + "?next=/admin/"
    for _ in range(5):
        client.post(login, {"login": organiser.email, "password": "wrong-guess"})

    response = client.post(login, {"login": organiser.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_organiser_signs_in_on_the_site_and_reaches_the_back_office(client, organiser):
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": organiser.email, "password": PASSWORD}
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/"


def test_a_signed_in_participant_is_told_the_back_office_is_not_theirs(client):
    user = User.objects.create_user(email="ama@example.org")
    client.force_login(user)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "Your account has no access to the back office." in response.content.decode()
