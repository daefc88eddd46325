"""The emails people expect after each step: accepted, waiting list, registered, admitted,
cancelled by an organiser."""

import pytest
from django.conf import settings

from notifications.models import Message
from participants import services
from participants.forms import RegistrationForm
from participants.models import Role, Status
from tests.factories import ParticipantFactory

from .support import (  # noqa: F401
    accepted,
    clear_cache,
    future_meeting,
    invited,
    organiser_of,
    registration_details,
)

pytestmark = pytest.mark.django_db


def step_mail(participant):
    return list(
        Message.objects.filter(recipient=participant.email, kind__startswith="participants.")
        .exclude(kind__startswith="participants.invitation")
        .order_by("pk")
    )


def test_accepting_sends_a_confirmation_with_what_comes_next():
    participant = accepted(given_name="Ama", family_name="Mensah", honorific="Dr.")
    meeting = participant.meeting

    (message,) = step_mail(participant)
    registration = meeting.deadlines.get(kind="registration")
    due = meeting.local(registration.due_at)
    assert (message.kind, message.subject) == (
        "participants.accepted",
        f"Thank you for accepting: {meeting}",
    )
    assert message.body_text.startswith("Dear Dr. Ama Mensah,\n\nThank you for accepting")
    assert (
        f"- Register by {due.day} {due:%B %Y}, 23:59 Africa/Accra (GMT): passport details, "
        f"needs and consents, at\n  {settings.SITE_URL}/m/{meeting.slug}/me/registration/"
    ) in message.body_text
    assert f"{settings.SITE_URL}/m/{meeting.slug}/me/" in message.body_html


def test_accepting_a_full_meeting_says_waiting_list():
    meeting = future_meeting(capacity=0)
    participant = accepted(meeting)

    (message,) = step_mail(participant)
    assert participant.status == Status.WAITLISTED
    assert (message.kind, message.subject) == (
        "participants.waitlisted",
        f"You are on the waiting list: {meeting}",
    )


def test_registering_sends_a_confirmation_once():
    participant = accepted()
    form = RegistrationForm(registration_details(participant.meeting), meeting=participant.meeting)
    assert form.is_valid(), form.errors

    for _ in range(2):  # the second save is an edit: no second confirmation
        services.register_participant(
            participant=participant, details=form.cleaned_data, by=participant.user
        )

    assert [message.kind for message in step_mail(participant)] == [
        "participants.accepted",
        "participants.registered",
    ]
    assert step_mail(participant)[1].subject == f"Registration complete: {participant.meeting}"


def test_admission_from_the_waiting_list_is_mailed():
    meeting = future_meeting()
    organiser = organiser_of(meeting)
    participant = ParticipantFactory(meeting=meeting, status=Status.WAITLISTED, role=Role.OBSERVER)

    services.set_status(
        participant=participant,
        to_status=Status.ACCEPTED,
        changed_by=organiser,
        note="A place opened",
    )

    (message,) = step_mail(participant)
    assert (message.kind, message.subject) == (
        "participants.admitted",
        f"A place for you: {meeting}",
    )
    assert "A place has been given to you" in message.body_text
    assert "(A place opened)" in message.body_text


def test_an_organiser_cancelling_a_participant_tells_them():
    meeting = future_meeting()
    organiser = organiser_of(meeting)
    participant = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)

    participant = services.set_status(
        participant=participant,
        to_status=Status.CANCELLED,
        changed_by=organiser,
        note="Travel could not be arranged",
    )
    services.set_status(participant=participant, to_status=Status.ACCEPTED, changed_by=organiser)

    assert [(m.kind, m.subject) for m in step_mail(participant)] == [
        ("participants.cancelled", f"Your participation is cancelled: {meeting}"),
        ("participants.admitted", f"A place for you: {meeting}"),
    ]
    assert "has been cancelled. (Travel could not be arranged)" in (
        step_mail(participant)[0].body_text
    )


def test_an_organiser_marking_attendance_sends_nothing():
    meeting = future_meeting()
    organiser = organiser_of(meeting)
    participant = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)

    services.set_status(participant=participant, to_status=Status.ATTENDED, changed_by=organiser)

    assert step_mail(participant) == []
