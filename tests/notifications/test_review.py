"""Review before sending: bulk mail over the meeting's limit waits as held until released."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from notifications import outbox, reminders
from notifications.models import Message, MessageStatus, ReminderAudience
from participants import services
from participants.models import Status
from participants.papers.services import submit_paper
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory
from tests.notifications.support import message_ids, run
from tests.participants.paper_files import pdf_bytes
from tests.participants.support import accepted, future_meeting

pytestmark = pytest.mark.django_db


def _invite(meeting, count: int) -> list:
    people = [ParticipantFactory(meeting=meeting) for _ in range(count)]
    services.invite_participants(
        meeting=meeting, participant_ids=[person.pk for person in people], sent_by=None
    )
    return people


def test_invitations_to_more_than_the_limit_are_held_as_one_batch(
    django_capture_on_commit_callbacks, broker_tasks
):
    meeting = future_meeting(hold_bulk_mail_over=2)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(meeting, 3)

    held = Message.objects.filter(meeting=meeting)
    assert sorted(held.values_list("status", flat=True)) == [MessageStatus.HELD] * 3
    assert len(set(held.values_list("batch", flat=True))) == 1
    assert broker_tasks() == []
    assert mail.outbox == []


def test_invitations_up_to_the_limit_go_straight_out(
    django_capture_on_commit_callbacks, broker_tasks
):
    meeting = future_meeting(hold_bulk_mail_over=2)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(meeting, 2)

    assert list(Message.objects.values_list("status", "batch")) == [("queued", "")] * 2
    assert len(broker_tasks()) == 2


def test_a_limit_of_zero_never_holds(django_capture_on_commit_callbacks):
    meeting = future_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(meeting, 5)

    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.QUEUED}


def test_the_sweep_never_sends_held_messages(django_capture_on_commit_callbacks, broker_tasks):
    meeting = future_meeting(hold_bulk_mail_over=1)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(meeting, 2)
    ids = list(Message.objects.values_list("pk", flat=True))

    later = timezone.now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(later, tick=False):
        swept = outbox.dispatch_due()
        delivered = [outbox.deliver(message_id) for message_id in ids]

    assert (swept, delivered, broker_tasks(), mail.outbox) == (0, [None, None], [], [])
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.HELD}


def test_releasing_a_batch_sends_each_message_exactly_once(
    django_capture_on_commit_callbacks, broker_tasks
):
    meeting = future_meeting(hold_bulk_mail_over=2)
    with django_capture_on_commit_callbacks(execute=True):
        people = _invite(meeting, 3)
    batch = Message.objects.values_list("batch", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        released = outbox.release_batch(meeting=meeting, batch=batch)
        again = outbox.release_batch(meeting=meeting, batch=batch)
    tasks = broker_tasks()
    run(tasks)
    run(tasks)  # a redelivered task sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        outbox.dispatch_due()
    run(broker_tasks())

    assert (released, again, message_ids(tasks)) == (
        3,
        0,
        sorted(Message.objects.values_list("pk", flat=True)),
    )
    assert sorted(email.to[0] for email in mail.outbox) == sorted(p.email for p in people)
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_cancelling_a_batch_sends_none(django_capture_on_commit_callbacks, broker_tasks):
    meeting = future_meeting(hold_bulk_mail_over=2)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(meeting, 3)
    batch = Message.objects.values_list("batch", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = outbox.cancel_batch(meeting=meeting, batch=batch)
        released = outbox.release_batch(meeting=meeting, batch=batch)
        outbox.dispatch_due()

    assert (cancelled, released, broker_tasks(), mail.outbox) == (3, 0, [], [])
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.CANCELLED}


def test_a_batch_is_released_only_for_its_own_meeting(django_capture_on_commit_callbacks):
    meeting = future_meeting(hold_bulk_mail_over=1)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(meeting, 2)
    batch = Message.objects.values_list("batch", flat=True).first()

    assert outbox.release_batch(meeting=MeetingFactory(), batch=batch) == 0
    assert outbox.cancel_batch(meeting=MeetingFactory(), batch=batch) == 0
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.HELD}


def test_a_reminder_fan_out_over_the_limit_is_held(django_capture_on_commit_callbacks):
    meeting = future_meeting(hold_bulk_mail_over=1)
    for name in ("Mensah", "Owusu"):
        ParticipantFactory(meeting=meeting, status=Status.REGISTERED, family_name=name)
    subject, body = reminders.default_templates(ReminderAudience.PAPER_MISSING)
    rule = reminders.save_rule(
        deadline=meeting.deadlines.get(kind="paper"),
        name="Paper reminders",
        audience=ReminderAudience.PAPER_MISSING,
        offsets=reminders.PAPER_DEFAULT_OFFSETS,
        subject_template=subject,
        body_template=body,
    )
    with django_capture_on_commit_callbacks(execute=True):
        fan_out, _ = reminders.remind_selected(
            rule=rule, participant_ids=list(meeting.participants.values_list("pk", flat=True))
        )

    assert [message.status for message in fan_out.queued] == [MessageStatus.HELD] * 2
    assert mail.outbox == []


def test_a_paper_receipt_is_never_held(django_capture_on_commit_callbacks):
    meeting = future_meeting(hold_bulk_mail_over=1)
    participant = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, paper_requested=True, user=UserFactory()
    )

    with django_capture_on_commit_callbacks(execute=True):
        submit_paper(
            participant=participant,
            title="Social integration in West Africa",
            abstract="",
            consent_publish=False,
            upload=SimpleUploadedFile("paper.pdf", pdf_bytes(6)),
            uploaded_by=participant.user,
        )

    receipt = Message.objects.get(kind="paper_receipt")
    assert (receipt.status, receipt.batch) == (MessageStatus.QUEUED, "")


def test_a_step_email_is_never_held(django_capture_on_commit_callbacks):
    meeting = future_meeting(hold_bulk_mail_over=1)
    with django_capture_on_commit_callbacks(execute=True):
        participant = accepted(meeting)

    step = Message.objects.get(kind="participants.accepted", recipient=participant.email)
    assert (step.status, step.batch) == (MessageStatus.QUEUED, "")
