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
