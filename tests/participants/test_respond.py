"""Answering an invitation: the page, accepting (with sign-in), declining, and bad links."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from agenda.models import RoleQuota
from participants import throttle
from participants.models import Role, Status, StatusChange
from tests.factories import ParticipantFactory, UserFactory

from .support import accepted, clear_cache, future_meeting, invited  # noqa: F401

pytestmark = pytest.mark.django_db


def _url(name, participant, token):
    return reverse(f"participant:{name}", kwargs={"slug": participant.meeting.slug, "token": token})


def _snapshot(participant):
    participant.refresh_from_db()
    return (
        participant.status,
        participant.invitation_used_at,
        participant.user_id,
        StatusChange.objects.filter(participant=participant).count(),
    )


def test_invitation_page_shows_meeting_and_both_answers(client):
    participant, token = invited()
    response = client.get(_url("invitation", participant, token))
    assert response.status_code == 200
    page = response.content.decode()
    assert participant.meeting.title in page
    assert "A paper of 5-10 pages" in page
    assert "Accept the invitation" in page
    assert "Decline the invitation" in page
    assert "Africa/Accra (GMT)" in page


def test_accept_link_opened_by_get_changes_nothing(client):
    participant, token = invited()
    before = _snapshot(participant)
    response = client.get(_url("accept", participant, token))
    assert response.status_code == 200
    assert _snapshot(participant) == before


def test_accept_creates_account_and_signs_in_for_this_meeting(client):
    participant, token = invited(email="Ama.Mensah@Example.org")

    response = client.post(_url("accept", participant, token))

    participant.refresh_from_db()
    user = get_user_model().objects.get()
    address = EmailAddress.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/m/{participant.meeting.slug}/me/"
    assert participant.status == Status.ACCEPTED
    assert participant.user == user
    assert participant.invitation_used_at is not None
    assert participant.responded_at is not None
    # The link is no proof of the address (organisers can read it): an emailed code is.
    assert (address.email, address.verified, address.primary) == (
        "ama.mensah@example.org",
        False,
        True,
    )
    assert client.get(f"/m/{participant.meeting.slug}/me/").status_code == 200
    change = participant.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.INVITED,
        Status.ACCEPTED,
        user,
    )


def test_accept_links_existing_account_by_email(client):
    user = UserFactory(email="kofi@example.org")
    participant, token = invited(email="KOFI@example.org")
    client.post(_url("accept", participant, token))
    participant.refresh_from_db()
    assert participant.user == user
    assert get_user_model().objects.count() == 1
    assert EmailAddress.objects.get(user=user).verified is False


def test_accept_does_not_sign_in_a_staff_account_by_the_link(client):
    # Organisers can read invitations in the outbox: a link must not open a staff account.
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    participant, token = invited(email="Admin@example.org")

    response = client.post(_url("accept", participant, token))

    participant.refresh_from_db()
    portal = f"/m/{participant.meeting.slug}/me/"
    assert (participant.status, participant.user) == (Status.ACCEPTED, admin)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('account_request_login_code')}?next={portal.replace('/', '%2F')}"
    )
    assert "_auth_user_id" not in client.session
    assert client.get(portal).status_code == 302


def test_accept_does_not_sign_in_an_account_with_a_place_at_another_meeting(client):
    earlier = accepted(email="kofi@example.org")
    participant, token = invited(email="kofi@example.org")

    response = client.post(_url("accept", participant, token))

    participant.refresh_from_db()
    assert (participant.status, participant.user) == (Status.ACCEPTED, earlier.user)
    assert response["Location"].startswith(reverse("account_request_login_code"))
    assert "_auth_user_id" not in client.session


def test_accept_when_already_signed_in_as_that_account_goes_to_the_portal(client):
    earlier = accepted(email="kofi@example.org")
    participant, token = invited(email="kofi@example.org")
    client.force_login(earlier.user)

    response = client.post(_url("accept", participant, token))

    assert response["Location"] == f"/m/{participant.meeting.slug}/me/"
    assert client.get(response["Location"]).status_code == 200


def test_decline_with_reason_ends_the_invitation(client):
    participant, token = invited()
    response = client.post(_url("decline", participant, token), {"reason": "Teaching that week."})
    participant.refresh_from_db()
    assert response.status_code == 200
    assert "You have declined the invitation" in response.content.decode()
    assert participant.status == Status.DECLINED
    assert participant.decline_reason == "Teaching that week."
    assert participant.user is None
    assert client.get(_url("invitation", participant, token)).status_code == 410


def test_decline_reason_too_long_is_refused_and_nothing_changes(client):
    participant, token = invited()
    before = _snapshot(participant)
    response = client.post(_url("decline", participant, token), {"reason": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert _snapshot(participant) == before


def test_unknown_token_gets_clear_404_page(client):
    participant, _ = invited()
    before = _snapshot(participant)
    response = client.get(_url("invitation", participant, "x" * 43))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
    assert _snapshot(participant) == before


def test_tampered_token_is_refused_and_nothing_changes(client):
    participant, token = invited()
    before = _snapshot(participant)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.post(_url("accept", participant, tampered))
    assert response.status_code == 404
    assert _snapshot(participant) == before
    assert get_user_model().objects.count() == 0


def test_token_of_another_meeting_is_unknown(client):
    participant, token = invited()
    other = future_meeting()
    response = client.post(
        reverse("participant:accept", kwargs={"slug": other.slug, "token": token})
    )
    assert response.status_code == 404
    participant.refresh_from_db()
    assert participant.status == Status.INVITED


def test_used_token_gets_410_and_changes_nothing(client):
    participant, token = invited()
    client.post(_url("accept", participant, token))
    client.logout()
    before = _snapshot(participant)
    response = client.post(_url("decline", participant, token))
    assert response.status_code == 410
    assert "already been answered" in response.content.decode()
    assert _snapshot(participant) == before


def test_expired_token_gets_410_and_changes_nothing(client):
    participant, token = invited()
    before = _snapshot(participant)
    with time_machine.travel(participant.invitation_expires_at + dt.timedelta(seconds=1)):
        response = client.post(_url("accept", participant, token))
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert _snapshot(participant) == before


def _damaged(token: str, attempt: int) -> str:
    """A wrong token that starts like ``token``: a copy of that link mistyped near its end."""
    return f"{token[:-5]}{attempt:05d}"


def test_repeated_wrong_copies_of_one_link_are_rate_limited(client):
    participant, token = invited()
    before = _snapshot(participant)
    for attempt in range(throttle.MAX_FAILURES):
        assert (
            client.get(_url("invitation", participant, _damaged(token, attempt))).status_code == 404
        )

    blocked = client.post(_url("accept", participant, _damaged(token, 99)))

    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert _snapshot(participant) == before
    # Another address is not blocked.
    other = client.get(_url("invitation", participant, _damaged(token, 98)), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_a_valid_link_is_never_refused_because_of_guesses_from_the_same_address(client):
    # Everyone behind one proxy shares an address: one visitor's guesses, even at the very
    # start of this link, must not lock the invitee out.
    participant, token = invited()
    for attempt in range(throttle.MAX_FAILURES):
        client.get(_url("invitation", participant, f"guess{attempt:040d}"))
        client.get(_url("invitation", participant, _damaged(token, attempt)))

    page = client.get(_url("invitation", participant, token))
    accept = client.post(_url("accept", participant, token))

    participant.refresh_from_db()
    assert page.status_code == 200
    assert accept.status_code == 302
    assert participant.status == Status.ACCEPTED


def test_guesses_at_one_link_do_not_block_other_links_from_the_same_address(client):
    participant, token = invited()
    for attempt in range(throttle.MAX_FAILURES):
        client.get(_url("invitation", participant, f"guess{attempt:040d}"))
    assert client.get(_url("invitation", participant, "guess" + "0" * 39 + "9")).status_code == 429

    # Another visitor behind the same proxy mistypes their own link: told it is not valid.
    response = client.get(_url("invitation", participant, "other" + "1" * 40))

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_rate_limit_window_ends_after_ten_minutes(client, settings):
    # An in-process cache, whose expiry follows the (travelled) clock.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    participant, token = invited()
    guess = "guess" + "0" * 40
    for _ in range(throttle.MAX_FAILURES):
        client.get(_url("invitation", participant, guess))
    assert throttle.blocked(_FakeRequest(), guess)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=11)):
        assert not throttle.blocked(_FakeRequest(), guess)


class _FakeRequest:
    META = {"REMOTE_ADDR": "127.0.0.1"}
    headers: dict = {}


def test_accept_over_role_quota_lands_on_waiting_list(client):
    meeting = future_meeting()
    RoleQuota.objects.create(meeting=meeting, role=Role.EXPERT, limit=1)
    accepted(meeting, role=Role.EXPERT)
    participant, token = invited(meeting, role=Role.EXPERT)

    response = client.post(_url("accept", participant, token), follow=True)

    participant.refresh_from_db()
    assert participant.status == Status.WAITLISTED
    assert participant.user is not None
    assert "you are on the waiting list" in response.content.decode()


def test_accept_over_meeting_capacity_lands_on_waiting_list():
    meeting = future_meeting(capacity=1)
    accepted(meeting, role=Role.OBSERVER)
    late = accepted(meeting, role=Role.GOVERNMENT)
    assert late.status == Status.WAITLISTED
    # Another role without quota still cannot pass the meeting's capacity.
    assert meeting.participants.filter(status=Status.ACCEPTED).count() == 1


def test_declined_and_waitlisted_do_not_hold_seats():
    meeting = future_meeting()
    RoleQuota.objects.create(meeting=meeting, role=Role.EXPERT, limit=1)
    participant, _ = invited(meeting, role=Role.EXPERT)
    from participants import services

    services.decline_invitation(participant=participant)
    assert accepted(meeting, role=Role.EXPERT).status == Status.ACCEPTED
    ParticipantFactory(meeting=meeting, role=Role.EXPERT, status=Status.WAITLISTED)
    assert meeting.participants.holding_seats().count() == 1
