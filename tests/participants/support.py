"""Shared set-up for the invitation and registration tests: a meeting in the future."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from agenda.models import DeadlineKind
from participants import services, tokens
from tests.factories import DeadlineFactory, MeetingFactory, ParticipantFactory, UserFactory


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def future_meeting(**fields):
    """A meeting 60 days ahead, registration closing 30 days ahead, papers due in 40."""
    starts_on = timezone.now().date() + dt.timedelta(days=60)
    meeting = MeetingFactory(
        starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=2), **fields
    )
    DeadlineFactory(
        meeting=meeting,
        kind=DeadlineKind.REGISTRATION,
        roles=[],
        due_at=meeting.end_of_day(starts_on - dt.timedelta(days=30)),
    )
    DeadlineFactory(
        meeting=meeting,
        kind=DeadlineKind.PAPER,
        due_at=meeting.end_of_day(starts_on - dt.timedelta(days=20)),
    )
    return meeting


def organiser_of(meeting):
    user = UserFactory()
    meeting.organisers.add(user)
    return user


def invited(meeting=None, **fields):
    """A participant invited through the service; returns (participant, token)."""
    meeting = meeting or future_meeting()
    participant = ParticipantFactory(meeting=meeting, **fields)
    services.invite_participants(meeting=meeting, participant_ids=[participant.pk], sent_by=None)
    participant.refresh_from_db()
    return participant, tokens.invitation_token(participant)


def accepted(meeting=None, **fields):
    participant, _ = invited(meeting, **fields)
    participant = services.accept_invitation(participant=participant)
    return participant


def registration_details(meeting, **overrides):
    details = {
        "passport_name": "AMA SERWAA MENSAH",
        "nationality": "GH",
        "date_of_birth": "1970-04-02",
        "passport_number": "G1234567",
        "passport_issuing_country": "GH",
        "passport_expires_on": (meeting.ends_on + dt.timedelta(days=400)).isoformat(),
        "dietary_needs": "Vegetarian",
        "accessibility_needs": "",
        "emergency_contact_name": "Kofi Mensah",
        "emergency_contact_phone": "+233 20 000 0000",
        "consent_listed": "on",
        "consent_publish_papers": "on",
    }
    details.update(overrides)
    return {key: value for key, value in details.items() if value is not None}


def emailed_login_code(email: str) -> str:
    """The code in the latest sign-in email to ``email``, read from the outbox."""
    from notifications.models import Message

    body = Message.objects.filter(kind="account.login_code", recipient=email).latest("pk").body_text
    return next(
        line.strip()
        for line in body.splitlines()
        if line.strip()
        and line.strip().replace("-", "").isalnum()
        and len(line.strip()) in (6, 7, 8, 9)
        and line.strip().upper() == line.strip()
    )


def sign_in_by_code(client, email: str, *, next_url: str = ""):
    """Sign in as the person who reads ``email``: ask for a code, type it in."""
    from django.urls import reverse

    query = f"?next={next_url}" if next_url else ""
    client.post(reverse("account_request_login_code") + query, {"email": email})
    return client.post(
        reverse("account_confirm_login_code") + query, {"code": emailed_login_code(email)}
    )
