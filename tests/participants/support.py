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
