"""Later sign-ins: allauth's login by emailed code, its email going through the outbox."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from notifications.models import Message
from notifications.tasks import send_message
from participants.organisers import ensure_organiser
from tests.factories import UserFactory

from .support import accepted, clear_cache, future_meeting, sign_in_by_code  # noqa: F401

pytestmark = pytest.mark.django_db


def test_login_page_offers_sign_in_code(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "Send me a sign-in code" in page
    assert reverse("account_request_login_code") in page


def test_login_code_email_becomes_outbox_message(client, django_capture_on_commit_callbacks):
    participant = accepted()
    client.logout()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("account_request_login_code"), {"email": participant.email})
    message = Message.objects.get(kind="account.login_code")
    assert response.status_code == 302
    assert message.recipient == participant.email
    assert message.kind == "account.login_code"
    assert "sign-in code" in message.body_text
    assert len(callbacks) == 1


def test_login_code_signs_the_participant_in(client):
    participant = accepted()
    client.logout()
    client.post(reverse("account_request_login_code"), {"email": participant.email})
    body = Message.objects.get(kind="account.login_code").body_text
    code = next(
        line.strip()
        for line in body.splitlines()
        if line.strip()
        and line.strip().replace("-", "").isalnum()
        and len(line.strip()) in (6, 7, 8, 9)
        and line.strip().upper() == line.strip()
    )
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    portal = reverse("participant:portal", kwargs={"slug": participant.meeting.slug})
    assert client.get(portal).status_code == 200


def test_password_reset_email_is_sent_through_the_outbox(client, mailoutbox):
    participant = accepted()
    client.logout()
    response = client.post(reverse("account_reset_password"), {"email": participant.email})
    message = Message.objects.get(kind="account.password_reset_key")
    send_message.apply(args=[message.pk])

    message.refresh_from_db()
    assert response.status_code == 302
    assert message.status == "sent"
    assert [email.to for email in mailoutbox] == [[participant.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.parametrize(
    "name", ["account_login", "account_request_login_code", "account_reset_password"]
)
def test_account_pages_use_the_site_layout(client, name):
    page = client.get(reverse(name)).content.decode()

    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main"' in page
    assert "css/site.css" in page


def test_login_page_sends_newcomers_to_their_invitation_not_to_sign_up(client):
    page = client.get(reverse("account_login")).content.decode()

    assert "the link in your invitation email" in page
    assert reverse("account_signup") not in page


# Where a person lands after signing in (AccountAdapter.get_login_redirect_url).

ORGANISER_PASSWORD = "organiser-password-for-accra"


def _organiser_of(*meetings):
    user, _ = ensure_organiser(
        email="organiser@example.org", password=ORGANISER_PASSWORD, meetings=meetings
    )
    return user


def _password_sign_in(client, email, next_url=""):
    query = f"?next={next_url}" if next_url else ""
    return client.post(
        reverse("account_login") + query, {"login": email, "password": ORGANISER_PASSWORD}
    )


def test_an_organiser_signs_in_with_a_password_and_lands_on_their_dashboard(client):
    meeting = future_meeting(slug="accra-2009")
    organiser = _organiser_of(meeting)

    response = _password_sign_in(client, organiser.email)

    assert response.status_code == 302
    assert response["Location"] == "/m/accra-2009/organise/"
    assert client.get(response["Location"]).status_code == 200
    assert not Message.objects.filter(kind__startswith="account.").exists()


def test_an_organiser_of_several_meetings_lands_on_the_list_of_them(client):
    organiser = _organiser_of(
        future_meeting(slug="accra-2009"), future_meeting(slug="nairobi-2010")
    )

    response = _password_sign_in(client, organiser.email)

    assert response["Location"] == reverse("participant:my_meetings")


def test_a_bookmarked_organiser_page_comes_back_after_sign_in(client):
    organiser = _organiser_of(future_meeting(slug="accra-2009"))
    bookmark = "/m/accra-2009/organise/papers/"
    asked = client.get(bookmark)
    assert asked["Location"] == f"/accounts/login/?next={bookmark}"

    response = _password_sign_in(client, organiser.email, next_url=bookmark)

    assert response["Location"] == bookmark
    assert client.get(bookmark).status_code == 200


def test_a_participant_signing_in_by_code_lands_on_their_portal(client):
    participant = accepted(email="ama@example.org")
    client.logout()

    response = sign_in_by_code(client, "ama@example.org")

    assert response["Location"] == f"/m/{participant.meeting.slug}/me/"


def test_a_participant_of_two_meetings_lands_on_the_list_of_them(client):
    accepted(email="ama@example.org")
    accepted(email="ama@example.org")
    client.logout()

    response = sign_in_by_code(client, "ama@example.org")

    assert response["Location"] == reverse("participant:my_meetings")


def test_an_account_with_no_meeting_lands_on_the_home_page(client):
    staff, _ = ensure_organiser(email="admin@example.org", password=ORGANISER_PASSWORD)
    plain = UserFactory(email="ama@example.org")
    EmailAddress.objects.create(user=plain, email=plain.email, verified=True, primary=True)
    plain.set_password(ORGANISER_PASSWORD)
    plain.save()

    assert _password_sign_in(client, staff.email)["Location"] == "/admin/"
    client.logout()
    assert _password_sign_in(client, plain.email)["Location"] == "/"


def test_login_code_email_is_branded_with_the_meeting(client):
    participant = accepted()
    meeting = participant.meeting
    meeting.contact_name = "Secretariat"
    meeting.contact_email = "egm@example.org"
    meeting.save()
    client.logout()

    client.post(reverse("account_request_login_code"), {"email": participant.email})

    message = Message.objects.get(kind="account.login_code")
    assert "Hello from" not in message.body_text
    assert "testserver" not in message.body_text
    assert message.body_text.startswith("Dear colleague,\n\n")
    assert message.body_text.endswith(
        f"{meeting.organiser}\n{meeting.title}\nQuestions: Secretariat, egm@example.org"
    )
    assert message.subject == "[EGM Desk] Sign-In Code"
    assert message.body_html.startswith('<!doctype html>\n<html lang="en">')
    assert "<p>Dear colleague,</p>" in message.body_html
    assert f"<br>{meeting.title}<br>" in message.body_html


def test_account_email_without_one_meeting_is_signed_by_the_site(client):
    user = UserFactory(email="someone@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    client.post(reverse("account_request_login_code"), {"email": user.email})

    body = Message.objects.get(kind="account.login_code").body_text
    assert body.startswith("Dear colleague,\n\n")
    assert body.endswith("\nEGM Desk")
