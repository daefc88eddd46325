"""Reminder fan-out for a meeting of 5,000 participants who all owe a paper.

Build: one beat run that fans the due offset out to 5,000 messages, each with the
deadline's .ics, stored in the outbox. Aim: under 5 s. Then the hand-over of their 5,000
sending tasks to the broker, timed apart. Delivery through workers to an SMTP sink beside a
plain smtplib loop is not measured here yet.
"""

import datetime as dt
import itertools
import time

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.models import Deadline, DeadlineKind, Meeting
from notifications import reminders
from notifications.models import Message, ReminderAudience
from participants.models import Participant, Role, Status

_serial = itertools.count()
PEOPLE = int(__import__("os").environ.get("BENCH_REMINDER_PEOPLE", "5000"))


def _meeting_with_rule() -> Meeting:
    now = timezone.now()
    meeting = Meeting.objects.create(
        slug=f"bench-reminders-{next(_serial)}",
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
    with CaptureQueriesContext(connection) as captured:
        # The outer transaction holds back the sending tasks, which go at its commit: the
        # build (render, .ics, rows) and the hand-over to the broker are timed apart.
        with transaction.atomic():
            started = time.perf_counter()
            result = reminders.dispatch_due()
            built = time.perf_counter()
        handed = time.perf_counter()
    made = Message.objects.filter(meeting=meeting, kind=reminders.KIND).count()
    build, hand_over = built - started, handed - built
    print(
        f"  build: {made:,} messages with their .ics rendered and stored in {build:.2f} s "
        f"({len(captured):,} queries; aim 5 s: {'ok' if build <= 5 else 'OVER'})",
        flush=True,
    )
    print(f"  per message: {build / max(made, 1) * 1000:.2f} ms", flush=True)
    print(
        f"  hand-over: {made:,} sending tasks to the broker ({connection.vendor} database, "
        f"{settings.CELERY_BROKER_URL.split(':')[0]} broker) in {hand_over:.2f} s",
        flush=True,
    )
    again = time.perf_counter()
    reminders.dispatch_due()
    print(f"  next beat (nothing due): {(time.perf_counter() - again) * 1000:.1f} ms", flush=True)
    assert [firing.recipients for firing in result.fired] == [PEOPLE]
