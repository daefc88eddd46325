"""A queued message goes through Redis to a real Celery worker and a real SMTP server, once."""

import json
import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from config.celery import app
from notifications import outbox
from notifications.models import Message, MessageStatus
from notifications.tasks import dispatch_due_messages
from tests.smtp import SMTPSink

pytestmark = [pytest.mark.integration, pytest.mark.redis]


def _wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _status(pk: int) -> str:
    return Message.objects.values_list("status", flat=True).get(pk=pk)


@pytest.mark.django_db(transaction=True)
def test_queued_message_reaches_the_smtp_server_once_through_redis(settings, celery_on_redis):
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    with SMTPSink() as sink:
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)

        with transaction.atomic():
            message = outbox.queue(
                recipient="kofi.mensah@example.org",
                subject="Your paper is due on 5 November 2009",
                body_text="Dear Dr Mensah, your paper of 5 to 10 pages is due on 5 November.",
                body_html="<p>Dear Dr Mensah, your paper is due on 5 November.</p>",
                idempotency_key="integration:paper-reminder:1",
                kind="paper_reminder",
            )
            # Queued twice in the same transaction: still one message, one task.
            outbox.queue(
                recipient="kofi.mensah@example.org",
                subject="Your paper is due on 5 November 2009",
                body_text="Again.",
                idempotency_key="integration:paper-reminder:1",
                kind="paper_reminder",
            )
            assert broker.llen(celery_on_redis) == 0  # nothing leaves before commit

        # The task waits in Redis until a worker takes it.
        waiting = [json.loads(raw) for raw in broker.lrange(celery_on_redis, 0, -1)]
        assert [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in waiting] == [
            ("notifications.send_message", f"({message.pk},)")
        ]

        with start_worker(app, pool="solo", perform_ping_check=False) as worker:
            assert worker.consumer.connection.transport.driver_type == "redis"
            assert _wait_for(lambda: _status(message.pk) == MessageStatus.SENT)
            # Give a duplicate delivery every chance to show itself.
            time.sleep(1.0)

        assert broker.llen(celery_on_redis) == 0
        assert [email["To"] for email in sink.received] == ["kofi.mensah@example.org"]
        assert sink.received[0]["Subject"] == "Your paper is due on 5 November 2009"
        assert sink.received[0]["X-EGM-Message-Id"] == str(message.pk)
        assert sink.received[0].is_multipart()

    sent = Message.objects.get(pk=message.pk)
    assert Message.objects.count() == 1
    assert sent.status == MessageStatus.SENT
    assert sent.attempts == 1
    assert sent.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_smtp_refusing_for_a_while_then_accepting_gets_every_message_exactly_once(
    settings, celery_on_redis
):
    """The server is down, then says "try later", then accepts: nothing lost, nothing twice.

    A real worker runs the sending tasks and the beat sweep (sent through Redis every half
    second here, every minute in production), with retry steps shortened to seconds.
    """
    settings.OUTBOX_RETRY_BASE_SECONDS = 1
    settings.OUTBOX_RETRY_MAX_SECONDS = 2
    sink = SMTPSink(rcpt_replies=["451 4.3.0 Try later"] * 6)  # not started: down at first
    for name, value in sink.django_settings().items():
        setattr(settings, name, value)
    with transaction.atomic():
        messages = [
            outbox.queue(
                recipient=f"expert{number}@example.org",
                subject="Your paper is due on 5 November 2009",
                body_text="Dear colleague, your paper of 5 to 10 pages is due on 5 November.",
                idempotency_key=f"integration:outage:{number}",
                kind="paper_reminder",
            )
            for number in range(5)
        ]
    ids = sorted(message.pk for message in messages)

    def refused_while_down() -> bool:
        errors = Message.objects.filter(pk__in=ids).values_list("last_error", flat=True)
        return all(error.startswith("ConnectionRefusedError") for error in errors)

    def all_sent() -> bool:
        dispatch_due_messages.delay()
        return set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
            MessageStatus.SENT
        }

    with start_worker(app, pool="solo", perform_ping_check=False):
        assert _wait_for(refused_while_down)
        with sink:
            assert _wait_for(all_sent, timeout=60)
            # More sweeps and time for a duplicate delivery to show itself.
            for _sweep in range(4):
                dispatch_due_messages.delay()
                time.sleep(0.5)

    assert sorted(int(email["X-EGM-Message-Id"]) for email in sink.received) == ids
    assert sorted(email["Message-ID"] for email in sink.received) == sorted(
        message.message_id for message in messages
    )
    assert sink.attempts == 5 + 6
    sent = Message.objects.filter(pk__in=ids)
    assert sum(message.attempts for message in sent) == 5 + 6 + 5
    assert {message.attempt_log[0]["outcome"] for message in sent} == {"retry"}
