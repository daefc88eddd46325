"""The sending task against a real SMTP server that says "try later" or "no"."""

import pytest
from celery import signals

from notifications import outbox
from notifications.models import MessageStatus
from notifications.tasks import send_message
from tests.factories import MessageFactory
from tests.smtp import SMTPSink

TRY_LATER = "451 4.3.0 Try later"
REJECTED = "550 5.1.1 No such mailbox"


@pytest.fixture
def retry_delays():
    """The countdown of every retry the sending task asks for, in order."""
    delays = []

    def record(sender=None, reason=None, **kwargs):
        if sender.name == send_message.name:
            delays.append(reason.when)

    signals.task_retry.connect(record, weak=False)
    yield delays
    signals.task_retry.disconnect(record)


@pytest.fixture
def smtp_settings(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_RETRY_BASE_SECONDS = 30

    def point_at(sink: SMTPSink):
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)

    return point_at


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_send_message_retries_try_later_then_sends(smtp_settings, retry_delays, stage):
    message = MessageFactory()
    with SMTPSink(**{f"{stage}_replies": [TRY_LATER]}) as sink:
        smtp_settings(sink)
        send_message.apply(args=[message.pk])

    assert sink.attempts == 2
    assert [email["Subject"] for email in sink.received] == [message.subject]
    assert retry_delays == [30]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_send_message_gives_up_after_max_attempts(smtp_settings, retry_delays, stage):
    message = MessageFactory()
    with SMTPSink(repeat_last=True, **{f"{stage}_replies": [TRY_LATER]}) as sink:
        smtp_settings(sink)
        send_message.apply(args=[message.pk])

    assert sink.attempts == 4
    assert sink.received == []
    assert retry_delays == [30, 60, 120]
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 4
    assert "451" in message.last_error
    assert "Try later" in message.last_error


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_send_message_fails_at_once_on_permanent_refusal(smtp_settings, retry_delays, stage):
    message = MessageFactory()
    with SMTPSink(repeat_last=True, **{f"{stage}_replies": [REJECTED]}) as sink:
        smtp_settings(sink)
        send_message.apply(args=[message.pk])

    assert sink.attempts == 1
    assert retry_delays == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error


@pytest.mark.django_db
def test_send_message_retries_when_the_server_is_down(smtp_settings, retry_delays):
    message = MessageFactory()
    sink = SMTPSink()  # never started: the port refuses connections
    smtp_settings(sink)

    send_message.apply(args=[message.pk])

    assert retry_delays == [30, 60, 120]
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 4
    assert "ConnectionRefusedError" in message.last_error


@pytest.mark.django_db
def test_send_message_counts_attempts_across_redispatches(smtp_settings, retry_delays):
    """A message dispatched again by requeue_stale still stops at the attempt limit."""
    message = MessageFactory()
    with SMTPSink(repeat_last=True, data_replies=[TRY_LATER]) as sink:
        smtp_settings(sink)
        send_message.apply(args=[message.pk])
        message.refresh_from_db()
        message.status = MessageStatus.QUEUED
        message.save(update_fields=["status"])
        send_message.apply(args=[message.pk])

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 5
    assert sink.attempts == 5


def test_retry_delay_doubles_and_stays_below_the_stale_threshold(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60

    delays = [outbox.retry_delay(retries) for retries in range(6)]

    assert delays == [60, 120, 240, 480, 600, 600]
    assert max(delays) < outbox.STALE_CLAIM_AFTER.total_seconds()
