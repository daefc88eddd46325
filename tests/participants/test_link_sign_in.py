"""An invitation link signs in for its own meeting only, and never keeps an account.

Organisers can read every invitation of their meeting in the outbox, so whatever a link
opens, an organiser can open too.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from notifications.models import Message
from participants.models import Registration, Status, User
from participants.organisers import ensure_organiser
from tests.factories import ParticipantFactory

from .support import (  # noqa: F401
    accepted,
    clear_cache,
    emailed_login_code,
    future_meeting,
    invited,
    registration_details,
    sign_in_by_code,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a-password-the-organiser-keeps-2009"


def _accept_path_in_outbox(email: str) -> str:
    """The accept link of the invitation to ``email``, as an organiser reads it in the outbox."""
    body = Message.objects.filter(kind="participants.invitation", recipient=email).latest("pk")
    return re.search(r"/m/[\w-]+/invitation/[\w-]+/accept/", body.body_text).group(0)


def _accept_by_link(client, participant, token):
    response = client.post(
        reverse("participant:accept", kwargs={"slug": participant.meeting.slug, "token": token})
    )
    participant.refresh_from_db()
    return response


def _portal(meeting) -> str:
    return reverse("participant:portal", kwargs={"slug": meeting.slug})


def _registration(meeting) -> str:
    return reverse("participant:registration", kwargs={"slug": meeting.slug})


def test_an_organiser_cannot_keep_an_account_opened_by_an_invitation_link():
    meeting_a, meeting_b = future_meeting(slug="meeting-a"), future_meeting(slug="meeting-b")
    attacker = Client()
    organiser_a, _ = ensure_organiser(
        email="organiser-a@example.org", password=PASSWORD, meetings=[meeting_a]
    )
    attacker.force_login(organiser_a)
    # Organiser of A adds an address that is not theirs, invites it, opens the link.
    added = ParticipantFactory(meeting=meeting_a, email="ama@example.org")
    attacker.post(
        reverse("participant:invite", kwargs={"slug": meeting_a.slug}), {"participant": [added.pk]}
    )
    attacker.post(_accept_path_in_outbox("ama@example.org"))
    # ...and tries to give the account a password of their own.
    refused = attacker.post(
        "/accounts/password/set/", {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert refused.status_code == 403
    assert "Prove your email address first" in refused.content.decode()
    assert User.objects.get(email="ama@example.org").has_usable_password() is False

    # Later the real Ama is invited to meeting B, accepts, proves her address and registers.
    participant_b, token_b = invited(meeting_b, email="ama@example.org")
    ama = Client()
    answer = ama.post(
        reverse("participant:accept", kwargs={"slug": meeting_b.slug, "token": token_b})
    )
    assert answer["Location"].startswith(reverse("account_request_login_code"))
    asked = ama.post(answer["Location"], {"email": "ama@example.org"})
    signed_in = ama.post(asked["Location"], {"code": emailed_login_code("ama@example.org")})
    assert signed_in["Location"] == _portal(meeting_b)
    assert ama.get(_portal(meeting_b)).status_code == 200
    ama.post(_registration(meeting_b), registration_details(meeting_b))
    assert Registration.objects.get(participant=participant_b).passport_number == "G1234567"

    # The organiser's outbox holds A's invitation and its confirmation, never the code that
    # proved the address.
    outbox = Client()
    outbox.force_login(organiser_a)
    listed = outbox.get(reverse("admin:notifications_message_changelist"))
    assert sorted({message.kind for message in listed.context["cl"].result_list}) == [
        "participants.accepted",
        "participants.invitation",
    ]
    # The session the organiser opened with A's link reaches nothing of B, ...
    for path in (_portal(meeting_b), _registration(meeting_b)):
        response = attacker.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "G1234567" not in response.content.decode()
    # ... and there is no password to sign in with.
    stranger = Client()
    stranger.post(reverse("account_login"), {"login": "ama@example.org", "password": PASSWORD})
    assert stranger.get(_registration(meeting_b)).status_code == 302


def test_a_link_session_is_signed_in_on_its_meeting_pages_only(client):
    participant, token = invited(email="ama@example.org")
    _accept_by_link(client, participant, token)

    assert client.get(_portal(participant.meeting)).status_code == 200
    # Account pages (adding an address of one's own, say) need a proven sign-in.
    email_page = client.get(reverse("account_email"))
    assert email_page.status_code == 302
    assert email_page["Location"].startswith(reverse("account_login"))
    assert EmailAddress.objects.filter(user=participant.user).count() == 1


def test_password_change_is_refused_to_a_link_session(client):
    participant, token = invited(email="ama@example.org")
    _accept_by_link(client, participant, token)

    response = client.get("/accounts/password/change/")

    assert response.status_code == 403
    assert "signed in through an invitation link" in response.content.decode()


def test_password_set_is_refused_to_an_account_whose_address_is_unproven(client):
    participant = accepted(email="ama@example.org")
    client.force_login(participant.user)

    response = client.post(
        "/accounts/password/set/", {"password1": PASSWORD, "password2": PASSWORD}
    )

    participant.user.refresh_from_db()
    assert response.status_code == 403
    assert "has not been confirmed yet" in response.content.decode()
    assert participant.user.has_usable_password() is False


def test_an_emailed_code_proves_the_address_and_lifts_the_link_scope(client):
    participant, token = invited(email="ama@example.org")
    _accept_by_link(client, participant, token)
    other = accepted(email="ama@example.org")  # her place at a second meeting

    sign_in_by_code(client, "ama@example.org")
    response = client.post(
        "/accounts/password/set/", {"password1": PASSWORD, "password2": PASSWORD}
    )

    participant.user.refresh_from_db()
    assert EmailAddress.objects.get(user=participant.user).verified is True
    assert client.get(_portal(other.meeting)).status_code == 200
    assert response.status_code == 302
    assert participant.user.check_password(PASSWORD)


def test_accepting_a_second_meeting_in_a_link_session_asks_for_the_emailed_code(client):
    first, first_token = invited(email="ama@example.org")
    _accept_by_link(client, first, first_token)
    second, second_token = invited(email="ama@example.org")

    response = client.post(
        reverse("participant:accept", kwargs={"slug": second.meeting.slug, "token": second_token})
    )

    first.refresh_from_db()
    second.refresh_from_db()
    portal = _portal(second.meeting)
    assert (second.status, second.user) == (Status.ACCEPTED, first.user)
    assert response["Location"] == (
        f"{reverse('account_request_login_code')}?next={portal.replace('/', '%2F')}"
    )
    assert client.get(portal).status_code == 302


def test_a_link_session_can_sign_out(client):
    participant, token = invited(email="ama@example.org")
    _accept_by_link(client, participant, token)

    client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session
    assert client.get(_portal(participant.meeting)).status_code == 302


def test_an_account_with_a_password_is_not_signed_in_by_a_link(client):
    user = User.objects.create_user(email="ama@example.org", password=PASSWORD)
    participant, token = invited(email="ama@example.org")

    response = client.post(
        reverse("participant:accept", kwargs={"slug": participant.meeting.slug, "token": token})
    )

    participant.refresh_from_db()
    assert participant.user == user
    assert response["Location"].startswith(reverse("account_request_login_code"))
    assert "_auth_user_id" not in client.session


def test_my_participation_of_a_link_session_opens_its_meetings_portal(client):
    participant, token = invited(email="ama@example.org")
    _accept_by_link(client, participant, token)

    page = client.get(reverse("agenda:meeting", kwargs={"slug": participant.meeting.slug}))

    assert f'<a href="{_portal(participant.meeting)}">My participation</a>' in page.content.decode()
