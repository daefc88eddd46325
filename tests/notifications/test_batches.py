"""Fan-outs are sent in batches: one task and one SMTP connection for many messages, each
message still claimed, checked and recorded on its own."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from notifications import outbox
from notifications.models import Message, MessageStatus
from notifications.tasks import send_messages
from tests.factories import MessageFactory
from tests.mail import OutboxOnlyBackend
from tests.notifications.support import message_ids, run
from tests.smtp import ACCEPT, HANG_UP, SMTPSink

pytestmark = pytest.mark.django_db

REJECTED = "550 5.1.1 No such mailbox"
TRY_LATER = "451 4.3.0 Try later"
START = dt.datetime(2009, 11, 4, 8, 0, tzinfo=dt.UTC)
opened: list[str] = []


class CountingSMTPBackend(SMTPBackend):
    """Django's SMTP backend, noting each connection it opens (or tries to)."""

    def open(self):
        if self.connection is None:
            opened.append(f"{self.host}:{self.port}")
        return super().open()


class CountingLocmemBackend(OutboxOnlyBackend):
    def open(self):
        opened.append("locmem")
        return super().open()


@pytest.fixture
def smtp(settings):
    """Point the outbox at a sink through the counting SMTP backend."""
    opened.clear()
    settings.OUTBOX_RETRY_BASE_SECONDS = 60

    def point_at(sink: SMTPSink) -> SMTPSink:
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)
        settings.EMAIL_BACKEND = f"{__name__}.CountingSMTPBackend"
        return sink

    return point_at


def _statuses(messages) -> list[str]:
    for message in messages:
        message.refresh_from_db()
    return [message.status for message in messages]


def test_a_batch_sends_every_message_over_one_connection(smtp):
    messages = MessageFactory.create_batch(5)
    with smtp(SMTPSink()) as sink:
        send_messages.apply(args=[[message.pk for message in messages]])

    assert len(opened) == 1
    assert sorted(email["To"] for email in sink.received) == sorted(m.recipient for m in messages)
    assert [email["X-EGM-Message-Id"] for email in sink.received] == [str(m.pk) for m in messages]
    assert _statuses(messages) == [MessageStatus.SENT] * 5
    assert {(m.attempts, m.attempt_log[-1]["outcome"]) for m in messages} == {(1, "sent")}


def test_a_refused_recipient_in_a_batch_fails_alone(smtp):
    # The second recipient is refused for good, the third told to try later.
    sink = SMTPSink(rcpt_replies=[ACCEPT, REJECTED, TRY_LATER])
    with time_machine.travel(START, tick=False), smtp(sink):
        messages = MessageFactory.create_batch(4)
        send_messages.apply(args=[[message.pk for message in messages]])

    assert len(opened) == 1  # refusals leave the session usable: no second connection
    assert [email["To"] for email in sink.received] == [
        messages[0].recipient,
        messages[3].recipient,
    ]
    assert _statuses(messages) == [
        MessageStatus.SENT,
        MessageStatus.FAILED,
        MessageStatus.QUEUED,
        MessageStatus.SENT,
    ]
    assert messages[1].last_error.startswith("SMTPRecipientsRefused")
    assert "550" in messages[1].last_error
    assert "451" in messages[2].last_error
    assert messages[2].next_attempt_at == START + timedelta(seconds=60)
    assert (messages[0].last_error, messages[3].last_error) == ("", "")


def test_a_server_that_hangs_up_mid_batch_is_called_again_for_the_next_message(smtp):
    sink = SMTPSink(data_replies=[ACCEPT, HANG_UP])
    with time_machine.travel(START, tick=False), smtp(sink):
        messages = MessageFactory.create_batch(3)
        send_messages.apply(args=[[message.pk for message in messages]])

    assert len(opened) == 2
    first, _, third = messages
    assert [email["To"] for email in sink.received] == [first.recipient, third.recipient]
    assert _statuses(messages) == [MessageStatus.SENT, MessageStatus.QUEUED, MessageStatus.SENT]
    assert messages[1].last_error.startswith("SMTPServerDisconnected")
    assert messages[1].next_attempt_at == START + timedelta(seconds=60)


def test_a_server_that_is_down_is_tried_once_for_the_whole_batch(smtp):
    smtp(SMTPSink())  # never started: the port refuses connections

    with time_machine.travel(START, tick=False):
        messages = MessageFactory.create_batch(3)
        send_messages.apply(args=[[message.pk for message in messages]])

    assert len(opened) == 1
    assert _statuses(messages) == [MessageStatus.QUEUED] * 3
    assert {m.last_error.split(":")[0] for m in messages} == {"ConnectionRefusedError"}
    assert {(m.attempts, m.next_attempt_at) for m in messages} == {
        (1, START + timedelta(seconds=60))
    }


def test_a_message_claimed_elsewhere_or_already_sent_is_skipped():
    sent, busy, queued = MessageFactory.create_batch(3)
    outbox.deliver(sent.pk)
    assert outbox.claim(busy.pk) is not None  # another worker is sending it

    handled = outbox.deliver_batch([sent.pk, busy.pk, queued.pk])

    assert [message.pk for message in handled] == [queued.pk]
    assert [email.to[0] for email in mail.outbox] == [sent.recipient, queued.recipient]
    assert _statuses([sent, busy, queued]) == [
        MessageStatus.SENT,
        MessageStatus.SENDING,
        MessageStatus.SENT,
    ]
    assert (sent.attempts, busy.attempts, queued.attempts) == (1, 1, 1)


@pytest.fixture
def another_worker_claims():
    """A send check (run after the batch has read its messages, before it claims them)
    through which another worker claims the messages named in ``taken``."""
    taken: list[int] = []

    def check(messages):
        for message_id in taken:
            assert outbox.claim(message_id) is not None
        return {}

    outbox.register_send_check("test.contended", check)
    yield taken
    outbox._send_checks.pop("test.contended")


def test_a_message_claimed_elsewhere_after_the_batch_read_it_is_skipped(another_worker_claims):
    first, contended, last = MessageFactory.create_batch(3, kind="test.contended")
    another_worker_claims.append(contended.pk)

    handled = outbox.deliver_batch([first.pk, contended.pk, last.pk])

    assert [message.pk for message in handled] == [first.pk, last.pk]
    assert sorted(email.to[0] for email in mail.outbox) == sorted([first.recipient, last.recipient])
    assert _statuses([first, contended, last]) == [
        MessageStatus.SENT,
        MessageStatus.SENDING,
        MessageStatus.SENT,
    ]
    assert contended.attempts == 1  # the other worker's claim, not a second one


def test_fan_out_goes_to_the_broker_in_batches_and_a_single_email_alone(
    django_capture_on_commit_callbacks, broker_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        created, _ = outbox.queue_many(
            (
                {
                    "recipient": f"expert{number}@example.org",
                    "subject": "Your paper is due on 5 November 2009",
                    "body_text": "Dear colleague, your paper is due on 5 November 2009.",
                    "idempotency_key": f"fan-out:{number}",
                }
                for number in range(250)
            ),
            kind="paper_reminder",
        )
        code = outbox.queue(
            recipient="kofi.mensah@example.org",
            subject="Your sign-in code",
            body_text="Your code is 123456.",
            idempotency_key="sign-in:1",
            kind="account.login_code",
        )

    tasks = broker_tasks()
    assert [
        (name, len(args[0]) if name.endswith("messages") else args) for name, args in tasks
    ] == [
        ("notifications.send_messages", 100),
        ("notifications.send_messages", 100),
        ("notifications.send_messages", 50),
        ("notifications.send_message", [code.pk]),
    ]
    assert message_ids(tasks) == sorted([message.pk for message in created] + [code.pk])
    assert run(tasks) == 4
    assert len(mail.outbox) == 251
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_batch_out_of_time_hands_the_rest_back_to_the_broker(monkeypatch, settings, broker_tasks):
    settings.EMAIL_BACKEND = f"{__name__}.CountingLocmemBackend"
    opened.clear()
    messages = MessageFactory.create_batch(3)
    monkeypatch.setattr(outbox, "BATCH_TIME_BUDGET", timedelta(0))

    assert outbox.deliver_batch([message.pk for message in messages]) == []

    tasks = broker_tasks()
    assert tasks == [("notifications.send_messages", [[message.pk for message in messages]])]
    assert (mail.outbox, opened) == ([], [])
    assert _statuses(messages) == [MessageStatus.QUEUED] * 3
    monkeypatch.undo()
    run(tasks)
    assert len(mail.outbox) == 3
    assert opened == ["locmem"]
    assert _statuses(messages) == [MessageStatus.SENT] * 3
