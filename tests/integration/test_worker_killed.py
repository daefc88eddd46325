"""A worker killed in the middle of a fan-out of 500: nothing lost, nothing sent twice.

The real thing end to end: the fan-out writes 500 messages and hands them to Redis in
batches of 100 at commit; a Celery worker (prefork, two processes, its own process group)
sends them to an SMTP sink until the whole group is SIGKILLed mid-batch; a second worker
then takes over, and the beat sweep runs as it does every minute.

What the system guarantees, and what this test holds it to:

- Nothing is lost. The killed worker's tasks were not acknowledged (``acks_late``), so Redis
  gives them back after its visibility timeout (an hour in production, seconds here); the
  messages they still held go out then. A message the worker had claimed is left
  ``sending``: the sweep sends it again once the claim is older than ``STALE_CLAIM_AFTER``
  (15 minutes in production, one second here, set only once the new worker is idle so no
  live claim is taken for a dead one).
- Nothing is sent twice, but for one message per killed process at most: a message the
  SMTP server accepted in the instant before its ``sent`` commit is sent again by the
  sweep, with the same Message-ID. SMTP cannot tell whether a message was received, so that
  instant is at least once; the batch narrows it to the one message in flight per process
  (each message is claimed just before it goes and recorded just after). The test
  checks exactly that: the killed worker left at most two claims, any copy the sink got is
  one of those in-flight messages, and every other message arrived once. Without the claim
  the given-back tasks would send their whole batches again; without ``acks_late`` those
  tasks are gone and their messages never leave (the sweep would find them only after 30
  minutes).
"""

import collections
import os
import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.db import connection, transaction

from notifications import outbox
from notifications.models import Message, MessageStatus
from tests.integration.worker import KillableWorker
from tests.smtp import SMTPSink

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.postgres]

MESSAGES = 500
PROCESSES = 2  # per worker
# How long Redis waits before giving back an unacknowledged task (production: an hour).
VISIBILITY = 6


def _wait_for(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _test_database_url() -> str:
    """DATABASE_URL, pointed at the test database this test's rows are committed to."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _tail(log) -> str:
    return log.read_text()[-3000:]


def _statuses(ids) -> dict[int, str]:
    return dict(Message.objects.filter(pk__in=ids).values_list("pk", "status"))


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    celery_on_redis, monkeypatch, tmp_path
):
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    with SMTPSink() as sink:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": os.environ["REDIS_URL"],
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "VAR_DIR": str(tmp_path),
        }
        with transaction.atomic():
            created, _ = outbox.queue_many(
                (
                    {
                        "recipient": f"expert{number:03d}@example.org",
                        "subject": "Your paper is due on 5 November 2009",
                        "body_text": "Dear colleague, your paper of 5 to 10 pages is due.",
                        "idempotency_key": f"integration:killed-worker:{number}",
                    }
                    for number in range(MESSAGES)
                ),
                kind="paper_reminder",
            )
        ids = [message.pk for message in created]
        message_ids = {message.pk: message.message_id for message in created}
        size = outbox.SEND_BATCH_SIZE
        batches = [ids[start : start + size] for start in range(0, MESSAGES, size)]
        assert broker.llen(celery_on_redis) == len(batches) == 5

        def received() -> collections.Counter:
            return collections.Counter(email["Message-ID"] for email in list(sink.received))

        log = tmp_path / "workers.log"
        with KillableWorker(celery_on_redis, env=env, visibility=VISIBILITY, log=log) as first:
            assert _wait_for(lambda: len(sink.received) >= 150, timeout=60), _tail(log)
            first.kill()

        # The moment of the kill, as the database and the mail server saw it.
        at_kill = _statuses(ids)
        got_at_kill = received()
        sent = {pk for pk, status in at_kill.items() if status == MessageStatus.SENT}
        claimed = {pk for pk, status in at_kill.items() if status == MessageStatus.SENDING}
        in_flight = {message_ids[pk] for pk in claimed} & set(got_at_kill)
        assert 0 < len(sent) < MESSAGES
        # Killed mid-batch: a batch with messages sent and messages not yet sent.
        assert any(0 < len(sent.intersection(batch)) < len(batch) for batch in batches)
        # At most one message per process between its claim and its outcome...
        assert len(claimed) <= PROCESSES
        # ...and every email the server accepted is recorded as sent, but for those.
        assert set(got_at_kill) - {message_ids[pk] for pk in sent} == in_flight
        assert {message_ids[pk] for pk in sent} <= set(got_at_kill)
        assert max(got_at_kill.values()) == 1

        with KillableWorker(celery_on_redis, env=env, visibility=VISIBILITY, log=log):
            # The tasks left in the queue, then (after the visibility timeout) the killed
            # worker's own tasks, given back by Redis: everything but the dead claims goes.
            def unsent() -> set[int]:
                return {pk for pk, status in _statuses(ids).items() if status != "sent"}

            def only_dead_claims_left() -> bool:
                return unsent() <= claimed and broker.llen(celery_on_redis) == 0

            assert _wait_for(only_dead_claims_left, timeout=60), _tail(log)
            # The sweep, as beat runs it, once the claims are older than the stale limit.
            monkeypatch.setattr(outbox, "STALE_CLAIM_AFTER", timedelta(seconds=1))
            time.sleep(1.1)
            assert outbox.dispatch_due() == len(unsent())
            assert _wait_for(lambda: not unsent(), timeout=30), _tail(log)
            # Time for a late copy to show itself, and a sweep that finds nothing to do.
            time.sleep(1)
            assert outbox.dispatch_due() == 0

    got = received()
    assert set(got) == set(message_ids.values())  # nothing lost
    sent_twice = {message_id for message_id, copies in got.items() if copies > 1}
    assert sent_twice <= in_flight  # only a message in flight at the kill, if any
    assert max(got.values()) <= 2
    assert sum(got.values()) == MESSAGES + len(sent_twice)
    assert set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
