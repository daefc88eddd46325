"""The demo meeting's run-up to the paper deadline of 5 November 2009, beat by beat.

The rule is made on 1 October; the clock moves in five-minute beats from 20 October
to 7 November; after each beat the
worker sends what was queued. The beat is down for two days around the 7-day reminder,
one expert submits between two reminders (the demo's papers carry their upload times),
and another submits after her last reminder is queued and before it is sent.
"""

import base64
import datetime as dt
import zoneinfo
from collections import defaultdict

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from agenda.calendars import uid_for
from agenda.demo import load_demo
from agenda.models import Meeting
from notifications.demo import HELD_BATCH, load_demo_reminders
from notifications.models import Message, MessageStatus, ReminderFiring, ReminderFiringStatus
from notifications.reminders import dispatch_due
from notifications.tasks import send_message
from participants.demo import demo_paper_pdf
from participants.feeds import personal_feed
from participants.models import Participant
from participants.papers.services import submit_paper

pytestmark = pytest.mark.django_db

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")
BEAT = dt.timedelta(minutes=5)
OUTAGE = (
    dt.datetime(2009, 10, 28, 12, 0, tzinfo=ACCRA),
    dt.datetime(2009, 10, 30, 12, 0, tzinfo=ACCRA),
)
LATE_SUBMITTER = "p.nguyen-thi@example.org"

EVERY_EXPERT = [
    "a.kowalczyk", "a.owusu-brempong", "h.al-rashidi", "j.quispe-mamani", "l.ferreira-matos",
    "m.lindqvist", "n.mwangi", "p.nguyen-thi", "r.sankaran", "s.tupou", "t.okafor",
]  # fmt: skip


def at(month, day, hour, minute=0):
    return dt.datetime(2009, month, day, hour, minute, tzinfo=ACCRA)


def emails(*keys):
    return sorted(f"{key}@example.org" for key in keys)


def deliver_queued():
    for pk in Message.objects.filter(status=MessageStatus.QUEUED).values_list("pk", flat=True):
        send_message.apply(args=[pk])


def submit(email, when):
    participant = Participant.objects.select_related("meeting").get(email=email)
    with time_machine.travel(when, tick=False):
        submit_paper(
            participant=participant,
            title="Social inclusion in Viet Nam",
            abstract="",
            consent_publish=True,
            upload=SimpleUploadedFile(
                "paper.pdf",
                demo_paper_pdf(title="Social inclusion in Viet Nam", author="P. Nguyen", pages=6),
                content_type="application/pdf",
            ),
            uploaded_by=participant.user,
        )


@pytest.fixture
def demo_rule():
    with time_machine.travel(at(10, 1, 9), tick=False):
        meeting = load_demo().meeting
        rule = load_demo_reminders(meeting=meeting)
    # The run-up without review before sending (tests/notifications/test_review.py has it):
    # nothing held, and the demo's held batch set aside.
    Meeting.objects.filter(pk=meeting.pk).update(hold_bulk_mail_over=0)
    Message.objects.filter(batch=HELD_BATCH).delete()
    return rule


def test_the_run_up_to_the_paper_deadline_reminds_exactly_those_who_owe(demo_rule):
    moment = at(10, 20, 0)
    end = at(11, 7, 9)
    while moment <= end:
        if not OUTAGE[0] <= moment < OUTAGE[1]:
            with time_machine.travel(moment, tick=False):
                dispatch_due()
            worker_at = moment
            if moment == at(11, 5, 8):
                # Queued at 08:00; she submits at 08:01, before the worker gets to it at 08:02.
                submit(LATE_SUBMITTER, at(11, 5, 8, 1))
                worker_at = at(11, 5, 8, 2)
            with time_machine.travel(worker_at, tick=False):
                deliver_queued()
        moment += BEAT

    reminders = Message.objects.filter(kind="reminder")
    received = defaultdict(list)
    for message in reminders.filter(status=MessageStatus.SENT):
        received[message.sent_at.astimezone(ACCRA)].append(message.recipient)
    assert {when: sorted(who) for when, who in received.items()} == {
        at(10, 22, 8): emails(*EVERY_EXPERT),
        # The 7-day reminder fell in the outage: it went once, at the first beat back.
        at(10, 30, 12): emails(*EVERY_EXPERT),
        # Owusu-Brempong submitted on 2 November at 14:20, between two reminders.
        at(11, 3, 8): emails(*(key for key in EVERY_EXPERT if key != "a.owusu-brempong")),
        # Okafor (3 November) and Lindqvist (4 November) have submitted too.
        at(11, 5, 8, 2): emails(
            "a.kowalczyk", "h.al-rashidi", "j.quispe-mamani", "l.ferreira-matos", "n.mwangi",
            "r.sankaran", "s.tupou",
        ),
    }  # fmt: skip
    cancelled = reminders.get(status=MessageStatus.CANCELLED)
    assert (cancelled.recipient, cancelled.last_error) == (
        LATE_SUBMITTER,
        "Cancelled at send time: no longer owed (experts who accepted and have no on-time "
        "paper no longer includes this participant).",
    )
    assert reminders.count() == 11 + 11 + 10 + 8
    assert list(
        ReminderFiring.objects.order_by("due_at").values_list("offset", "status", "recipients")
    ) == [
        ("14d@0800", ReminderFiringStatus.SENT, 11),
        ("7d@0800", ReminderFiringStatus.SENT, 11),
        ("2d@0800", ReminderFiringStatus.SENT, 10),
        ("0d@0800", ReminderFiringStatus.SENT, 8),
    ]


def test_a_reminder_carries_the_deadline_with_the_uid_of_the_personal_feed(demo_rule):
    with time_machine.travel(at(10, 22, 8), tick=False):
        dispatch_due()
    message = Message.objects.get(kind="reminder", recipient="n.mwangi@example.org")
    participant = Participant.objects.select_related("meeting").get(email=message.recipient)

    (attachment,) = message.attachments
    ics = Calendar.from_ical(base64.b64decode(attachment["content_b64"]))
    (event,) = ics.walk("VEVENT")
    feed_uids = [
        str(e["UID"]) for e in Calendar.from_ical(personal_feed(participant)).walk("VEVENT")
    ]
    assert (attachment["filename"], attachment["mimetype"]) == ("deadline.ics", "text/calendar")
    assert str(event["UID"]) == uid_for(demo_rule.deadline.uid)
    assert str(event["UID"]) in feed_uids
    assert event.decoded("DTSTART") == at(11, 5, 23, 59).replace(second=59)
    assert [str(alarm["ACTION"]) for alarm in event.walk("VALARM")] == ["DISPLAY", "DISPLAY"]
    assert ics.errors == [] and event.errors == []
    assert message.subject == (
        "EGM on Social Integration, Accra 2009: Expert paper due 5 November 2009"
    )
    assert "Dear Ms. Njeri Mwangi," in message.body_text
    assert "by Thursday 5 November 2009, 23:59 Africa/Accra (GMT) (2 weeks from now)" in (
        message.body_text
    )
