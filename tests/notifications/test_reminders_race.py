"""Two beat processes dispatching at the same instant (PostgreSQL): each offset fans out
once and each person gets one message. The cache lock is out of the picture (a cache per
process, as with two beats on two machines); the rule's row lock and the firing's unique
row keep the runs apart."""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection

from agenda.models import DeadlineKind
from notifications import reminders
from notifications.models import Message, ReminderAudience, ReminderFiring
from participants.models import Status
from tests.factories import DeadlineFactory, ParticipantFactory

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_send_each_reminder_once(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    deadline = DeadlineFactory(kind=DeadlineKind.PAPER)
    ParticipantFactory.create_batch(20, meeting=deadline.meeting, status=Status.REGISTERED)
    subject, body = reminders.default_templates(ReminderAudience.PAPER_MISSING)
    with time_machine.travel(dt.datetime(2009, 10, 1, 9, tzinfo=ACCRA), tick=False):
        reminders.save_rule(
            deadline=deadline,
            name="Paper reminders",
            audience=ReminderAudience.PAPER_MISSING,
            offsets=reminders.PAPER_DEFAULT_OFFSETS,
            subject_template=subject,
            body_template=body,
        )
    start = threading.Barrier(2)
    results, errors = [], []

    def beat() -> None:
        try:
            start.wait()
            results.append(reminders.dispatch_due())
        except Exception as exc:  # reported below with the assertion
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(dt.datetime(2009, 10, 22, 8, 0, tzinfo=ACCRA), tick=False):
        threads = [threading.Thread(target=beat) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert sorted(len(result.fired) for result in results) == [0, 1]
    assert ReminderFiring.objects.count() == 1
    assert Message.objects.count() == 20
    assert Message.objects.values("recipient").distinct().count() == 20
