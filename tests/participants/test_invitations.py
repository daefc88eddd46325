"""Sending invitations: the email, its link and calendar file, and sending only once."""

import base64
import datetime as dt

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream

from agenda.models import Deadline, DeadlineKind
from notifications.models import Message
from participants import services, tokens
from participants.models import Role, Status, StatusChange
from tests.factories import MeetingFactory, ParticipantFactory

from .support import clear_cache, future_meeting, invited, organiser_of  # noqa: F401

pytestmark = pytest.mark.django_db


def _invite(meeting, participants, **kwargs):
    return services.invite_participants(
        meeting=meeting,
        participant_ids=[p.pk for p in participants],
        sent_by=kwargs.pop("sent_by", None),
        **kwargs,
    )


def test_invite_queues_email_with_link_calendar_and_paper_request(
    django_capture_on_commit_callbacks,
):
    meeting = future_meeting()
    organiser = organiser_of(meeting)
    expert = ParticipantFactory(meeting=meeting, role=Role.EXPERT, email="ama@example.org")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = _invite(meeting, [expert], sent_by=organiser)

    expert.refresh_from_db()
    token = tokens.invitation_token(expert)
    message = Message.objects.get()
    assert result.invited == [expert]
    assert len(callbacks) == 1  # the sending task, dispatched on commit
    assert message.recipient == "ama@example.org"
    assert message.kind == "participants.invitation"
    assert message.subject.startswith("Invitation: Practical Strategies")
    accept_url = f"{settings.SITE_URL}/m/{meeting.slug}/invitation/{token}/accept/"
    decline_url = f"{settings.SITE_URL}/m/{meeting.slug}/invitation/{token}/decline/"
    assert accept_url in message.body_text
    assert decline_url in message.body_text
    assert accept_url in message.body_html
    assert "A paper of 5-10 pages" in message.body_text
    assert "ALISA Hotel" in message.body_text
    assert "Africa/Accra (GMT)" in message.body_text
    assert meeting.purpose in message.body_text
    [attachment] = message.attachments
    assert attachment["filename"] == "meeting.ics"
    assert attachment["mimetype"] == "text/calendar"
    data = base64.b64decode(attachment["content_b64"])
    calendar = icalendar.Calendar.from_ical(data)
    # An independent, strict parser raises on invalid iCalendar.
    [strict_event] = IcsCalendarStream.calendar_from_ics(data.decode()).timeline
    assert strict_event.summary == meeting.title
    [event] = calendar.walk("VEVENT")
    assert calendar.errors == [] and event.errors == []
    assert event.decoded("dtstart") == meeting.starts_on
    assert str(event["summary"]) == meeting.title


def test_invite_stores_only_the_hash_and_expires_at_registration_deadline():
    meeting = future_meeting()
    participant, token = invited(meeting)
    registration = Deadline.objects.get(meeting=meeting, kind=DeadlineKind.REGISTRATION)
    assert participant.status == Status.INVITED
    assert participant.invitation_token_hash == participant.hash_token(token)
    assert token not in participant.invitation_token_hash
    assert len(token) >= 43
    assert participant.invitation_expires_at == registration.due_at
    assert participant.invited_at is not None
    [change] = StatusChange.objects.filter(participant=participant)
    assert (change.from_status, change.to_status) == (Status.NOT_INVITED, Status.INVITED)


def test_invite_expires_at_meeting_start_without_registration_deadline():
    meeting = future_meeting()
    Deadline.objects.filter(meeting=meeting, kind=DeadlineKind.REGISTRATION).delete()
    participant, _ = invited(meeting)
    assert participant.invitation_expires_at == meeting.starts_at


def test_invite_subject_and_text_are_not_html_escaped():
    meeting = future_meeting(title='Youth & Ageing: "Inclusion"')
    invited(meeting)
    message = Message.objects.get()
    assert message.subject.startswith('Invitation: Youth & Ageing: "Inclusion", Accra, ')
    assert 'Youth & Ageing: "Inclusion"' in message.body_text


def test_invite_observer_is_not_asked_for_a_paper():
    meeting = future_meeting()
    invited(meeting, role=Role.OBSERVER)
    assert "A paper of" not in Message.objects.get().body_text


def test_invite_twice_sends_once():
    meeting = future_meeting()
    participant = ParticipantFactory(meeting=meeting)
    _invite(meeting, [participant])
    participant.refresh_from_db()
    first_hash = participant.invitation_token_hash

    again = _invite(meeting, [participant])

    participant.refresh_from_db()
    assert again.invited == []
    assert again.skipped == [(participant, "already invited")]
    assert Message.objects.count() == 1
    assert participant.invitation_token_hash == first_hash
    assert participant.invitations_sent == 1


def test_resend_sends_reminder_with_the_same_link():
    meeting = future_meeting()
    participant, token = invited(meeting)

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        result = _invite(meeting, [participant], resend=True)

    participant.refresh_from_db()
    reminder = Message.objects.get(kind="participants.invitation_reminder")
    assert result.reminded == [participant]
    assert reminder.subject.startswith("Reminder: Invitation")
    assert f"/invitation/{token}/accept/" in reminder.body_text
    assert participant.invitation_token_hash == participant.hash_token(token)
    assert participant.invitations_sent == 2
    assert len(reminder.attachments) == 1


def test_resend_double_click_sends_one_reminder():
    meeting = future_meeting()
    participant, _ = invited(meeting)
    _invite(meeting, [participant], resend=True)
    second = _invite(meeting, [participant], resend=True)
    assert second.skipped == [(participant, "already reminded today")]
    assert Message.objects.filter(kind="participants.invitation_reminder").count() == 1


def test_invite_skips_participants_who_answered():
    meeting = future_meeting()
    participant, _ = invited(meeting)
    services.decline_invitation(participant=participant)
    result = _invite(meeting, [participant], resend=True)
    assert result.skipped == [(participant, "already declined")]
    assert Message.objects.count() == 1


def test_invite_after_registration_deadline_sends_nothing():
    meeting = MeetingFactory()  # 2009: its start, the fallback expiry, has long passed
    participant = ParticipantFactory(meeting=meeting)
    result = _invite(meeting, [participant])
    participant.refresh_from_db()
    assert result.invited == []
    assert "registration deadline has passed" in result.skipped[0][1]
    assert participant.status == Status.NOT_INVITED
    assert Message.objects.count() == 0


def test_invite_ignores_participants_of_other_meetings():
    meeting = future_meeting()
    stranger = ParticipantFactory(meeting=future_meeting())
    result = _invite(meeting, [stranger])
    stranger.refresh_from_db()
    assert result.invited == [] and result.skipped == []
    assert stranger.status == Status.NOT_INVITED
    assert Message.objects.count() == 0


def test_invite_send_task_delivers_the_email_with_calendar(
    django_capture_on_commit_callbacks, mailoutbox
):
    from notifications.tasks import send_message

    meeting = future_meeting()
    participant = ParticipantFactory(meeting=meeting, email="kofi@example.org")
    _invite(meeting, [participant])
    send_message.apply(args=[Message.objects.get().pk])
    [email] = mailoutbox
    assert email.to == ["kofi@example.org"]
    assert [name for name, _, _ in email.attachments] == ["meeting.ics"]


def test_token_differs_per_participant_and_round():
    meeting = future_meeting()
    first, first_token = invited(meeting)
    second, second_token = invited(meeting)
    assert first_token != second_token
    first.invited_at = first.invited_at + dt.timedelta(microseconds=1)
    assert tokens.invitation_token(first) != first_token
