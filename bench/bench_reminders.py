"""Reminder fan-out for a meeting of 5,000 participants who all owe a paper.

Build: one beat run that fans the due offset out to 5,000 messages, each with the
deadline's .ics, stored in the outbox. Aim: under 5 s. Then the hand-over of their sending
tasks (``outbox.SEND_BATCH_SIZE`` messages to a task) to the broker, timed apart. With
REDIS_URL set: delivery of those messages by a Celery worker of two processes on Redis to
a local SMTP sink, beside a plain smtplib loop sending the same messages to the same sink
(the limit). Aim: within 2x of the loop.
Use PostgreSQL (DATABASE_URL) for the delivery part: two worker processes write at once.
"""

import datetime as dt
import logging
import os
import smtplib
import subprocess
import sys
import time
import uuid

import redis
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from kombu import pools

from agenda.models import Deadline, DeadlineKind, Meeting
from config.celery import app
from notifications import outbox, reminders
from notifications.models import Message, MessageStatus, ReminderAudience
from notifications.tasks import send_message
from participants.models import Participant, Role, Status

PEOPLE = int(__import__("os").environ.get("BENCH_REMINDER_PEOPLE", "5000"))


def _meeting_with_rule() -> Meeting:
    now = timezone.now()
    meeting = Meeting.objects.create(
        slug=f"bench-reminders-{uuid.uuid4().hex[:10]}",
        title="Practical Strategies to Promote Social Integration",
        purpose="Benchmark",
        organiser="DSPD",
        starts_on=(now + dt.timedelta(days=22)).date(),
        ends_on=(now + dt.timedelta(days=24)).date(),
        time_zone="Africa/Accra",
        paper_roles=[Role.EXPERT],
    )
    deadline = Deadline.objects.create(
        meeting=meeting,
        kind=DeadlineKind.PAPER,
        due_at=meeting.end_of_day((now + dt.timedelta(days=10)).date()),
        roles=[Role.EXPERT],
    )
    Participant.objects.bulk_create(
        [
            Participant(
                meeting=meeting,
                email=f"expert{n}@example.org",
                given_name=f"Given{n}",
                family_name=f"Family{n:05d}",
                honorific="Dr.",
                role=Role.EXPERT,
                status=Status.REGISTERED,
            )
            for n in range(PEOPLE)
        ],
        batch_size=500,
    )
    subject, body = reminders.default_templates(ReminderAudience.PAPER_MISSING)
    # Made a month ago, so the 14-day offset (four days ago) is due and not yet fired.
    rule = reminders.ReminderRule.objects.create(
        deadline=deadline,
        name="Paper reminders",
        audience=ReminderAudience.PAPER_MISSING,
        offsets=reminders.PAPER_DEFAULT_OFFSETS,
        subject_template=subject,
        body_template=body,
        created_at=now - dt.timedelta(days=30),
    )
    assert rule.pk
    return meeting


def run() -> None:
    meeting = _meeting_with_rule()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # As production runs it: with DEBUG on, Django would also keep every query (on SQLite,
    # quoting each parameter by asking the database) and render templates in debug mode.
    with override_settings(DEBUG=False), connection.execute_wrapper(count):
        # The outer transaction holds back the sending tasks, which go at its commit: the
        # build (render, .ics, rows) and the hand-over to the broker are timed apart.
        with transaction.atomic():
            started, cpu_started = time.perf_counter(), time.process_time()
            result = reminders.dispatch_due()
            built, cpu = time.perf_counter(), time.process_time() - cpu_started
        handed = time.perf_counter()
    made = Message.objects.filter(meeting=meeting, kind=reminders.KIND).count()
    build, hand_over = built - started, handed - built
    print(
        f"  build: {made:,} messages with their .ics rendered and stored in {build:.2f} s "
        f"({cpu:.2f} s of CPU; {len(queries):,} queries; aim 5 s: "
        f"{'ok' if build <= 5 else 'OVER'})",
        flush=True,
    )
    print(f"  per message: {build / max(made, 1) * 1000:.2f} ms", flush=True)
    print(
        f"  hand-over: {made:,} messages in {-(-made // outbox.SEND_BATCH_SIZE):,} sending tasks "
        f"to the broker ({connection.vendor} database, "
        f"{settings.CELERY_BROKER_URL.split(':')[0]} broker) in {hand_over:.2f} s",
        flush=True,
    )
    again = time.perf_counter()
    reminders.dispatch_due()
    print(f"  next beat (nothing due): {(time.perf_counter() - again) * 1000:.1f} ms", flush=True)
    assert [firing.recipients for firing in result.fired] == [PEOPLE]
    if os.environ.get("REDIS_URL"):
        _delivery(meeting)
    else:
        print("  delivery: not measured (set REDIS_URL, and DATABASE_URL to PostgreSQL)")


def _move_app_to(broker_url: str, queue: str) -> None:
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.update(broker_url=broker_url, task_default_queue=queue)
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.__dict__.pop("amqp", None)
    pools.reset()


def _wait_for_worker(deadline: float) -> None:
    """One message through the worker before the clock starts: it is up and connected."""
    warm_up = Message.objects.create(
        recipient="warm-up@example.org",
        subject="Warm-up",
        body_text="Warm-up",
        kind="bench.warm_up",
        idempotency_key=f"bench-warm-up-{uuid.uuid4().hex}",
    )
    send_message.apply_async(args=[warm_up.pk])
    while time.monotonic() < deadline:
        warm_up.refresh_from_db()
        if warm_up.status == MessageStatus.SENT:
            return
        time.sleep(0.5)
    raise RuntimeError("The Celery worker did not start.")


def _delivery(meeting: Meeting) -> None:
    from tests.smtp import SMTPSink

    redis_url = os.environ["REDIS_URL"]
    queue = f"egm-bench-{uuid.uuid4().hex[:12]}"
    ids = list(
        Message.objects.filter(meeting=meeting, kind=reminders.KIND).values_list("pk", flat=True)
    )
    # The sink logs every SMTP command at INFO: that is the sink's cost, not the system's.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    with SMTPSink() as sink:
        env = {
            **os.environ,
            "CELERY_BROKER_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "2", "-Q", queue,
             "--without-gossip", "--without-mingle", "-l", "WARNING"],
            env=env,
        )  # fmt: skip
        try:
            _move_app_to(redis_url, queue)
            _wait_for_worker(time.monotonic() + 600)
            started = time.perf_counter()
            # As the fan-out's commit does: 100 messages to a task (autocommit: at once).
            outbox.dispatch_many(ids)
            # Asked by meeting, not by 5,000 ids: the bench process also runs the sink, and
            # a big query every poll would slow the sink down, not the system.
            unsent = Message.objects.filter(
                meeting=meeting,
                kind=reminders.KIND,
                status__in=[MessageStatus.QUEUED, MessageStatus.SENDING],
            )
            while unsent.exists():
                if time.perf_counter() - started > 900:
                    raise RuntimeError("Delivery took more than 15 minutes.")
                time.sleep(0.1)
            delivered = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
            _move_app_to("memory://", "celery")
            client = redis.Redis.from_url(redis_url)
            client.delete(queue, f"_kombu.binding.{queue}")
            client.close()
        sent = Message.objects.filter(pk__in=ids, status=MessageStatus.SENT).count()
        emails = [
            outbox.build_email(message).message() for message in Message.objects.filter(pk__in=ids)
        ]
        before = len(sink.received)
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            for email in emails:
                smtp.sendmail(email["From"], [email["To"]], email.as_bytes(linesep="\r\n"))
        loop = time.perf_counter() - started
        assert len(sink.received) - before == len(emails)
    print(
        f"  delivery: {sent:,} of {len(ids):,} sent by Celery (2 processes, Redis, "
        f"{outbox.SEND_BATCH_SIZE} messages to a task) to the SMTP sink in {delivered:.2f} s",
        flush=True,
    )
    print(f"  plain smtplib loop, the same {len(emails):,} messages: {loop:.2f} s", flush=True)
    ratio = delivered / loop
    print(
        f"  delivery / plain loop: {ratio:.2f}x (aim 2x: {'ok' if ratio <= 2 else 'OVER'})",
        flush=True,
    )
