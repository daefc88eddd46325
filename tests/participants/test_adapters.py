"""Later sign-ins: allauth's login by emailed code, its email going through the outbox."""

import pytest
from django.urls import reverse

from notifications.models import Message
from notifications.tasks import send_message

from .support import accepted, clear_cache  # noqa: F401

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
