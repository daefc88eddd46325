"""Passport numbers and dates of birth leave the system only to their owner: never in an
email, never in an export but the visa list (see tests/logistics/test_visa_list.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from notifications.models import Message
from notifications.resources import MessageResource
from participants.privacy import erasure, retention
from participants.resources import ParticipantResource
from tests.factories import MessageFactory, RegistrationFactory

from .papers.test_views import give_paper
from .support import (  # noqa: F401
    accepted,
    clear_cache,
    future_meeting,
    organiser_of,
    registration_details,
)

pytestmark = pytest.mark.django_db

PASSPORT = "G7654321"
BORN = "1966-08-14"


def test_no_email_of_a_participants_whole_journey_holds_passport_or_birth_date(
    client, django_capture_on_commit_callbacks
):
    meeting = future_meeting()
    organiser = organiser_of(meeting)
    participant = accepted(meeting)
    client.force_login(participant.user)
    details = registration_details(meeting, passport_number=PASSPORT, date_of_birth=BORN)
    registration_url = reverse("participant:registration", kwargs={"slug": meeting.slug})
    assert client.post(registration_url, details).status_code == 302
    participant.refresh_from_db()
    give_paper(participant)
    client.force_login(organiser)
    client.post(
        reverse("papers:review", kwargs={"slug": meeting.slug, "paper_id": participant.paper.pk}),
        {"review_status": "needs_revision", "note": "More on Ghana."},
    )
    retention.notify_organisers(meeting=meeting, deletion_on=retention.deletion_date(meeting))
    erasure.request_deletion(participant=participant, by=participant.user)

    messages = list(Message.objects.all())
    assert {message.kind for message in messages} >= {
        "participants.invitation",
        "paper_review",
        "participants.retention_notice",
        "participants.deletion_request",
    }
    for message in messages:
        for text in (message.subject, message.body_text, message.body_html):
            assert PASSPORT not in text
            assert BORN not in text and "14 August 1966" not in text


def test_admin_exports_carry_no_passport_or_birth_date():
    meeting = future_meeting()
    participant = accepted(meeting)
    RegistrationFactory(
        participant=participant, passport_number=PASSPORT, date_of_birth=dt.date(1966, 8, 14)
    )
    MessageFactory(meeting=meeting, recipient=participant.email)

    participants = ParticipantResource().export().csv
    outbox = MessageResource().export().csv

    assert participant.email in participants and participant.email in outbox
    for text in (participants, outbox):
        assert PASSPORT not in text
        assert BORN not in text
