"""The demo meeting shows reminders that went and reminders still to come."""

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from agenda.demo import DEMO_SLUG
from agenda.models import Meeting
from notifications.models import Message, MessageStatus, ReminderFiring
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")


def test_the_2009_demo_shows_every_paper_reminder_as_sent():
    call_command("load_demo", stdout=StringIO())

    assert list(ReminderFiring.objects.order_by("due_at").values_list("offset", "recipients")) == [
        ("14d@0800", 11),
        ("7d@0800", 11),
        ("2d@0800", 10),
        ("0d@0800", 8),
    ]
    sent = Message.objects.filter(kind="reminder", status=MessageStatus.SENT)
    assert sent.count() == 11 + 11 + 10 + 8
    assert sent.filter(recipient="a.owusu-brempong@example.org").count() == 2


def test_the_demo_dated_today_shows_one_reminder_sent_and_the_next_to_come(client):
    today = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ACCRA)
    with time_machine.travel(today, tick=False):
        call_command("load_demo", "--today", stdout=StringIO())
        call_command("load_demo", "--today", stdout=StringIO())  # again: nothing more
        meeting = Meeting.objects.get(slug=DEMO_SLUG)
        user = UserFactory()
        meeting.organisers.add(user)
        client.force_login(user)
        page = client.get(reverse("reminders:list", kwargs={"slug": DEMO_SLUG}))

    assert list(ReminderFiring.objects.values_list("offset", "due_at", "recipients")) == [
        ("14d@0800", dt.datetime(2026, 2, 26, 8, 0, tzinfo=ACCRA), 8)
    ]
    assert Message.objects.filter(kind="reminder", status=MessageStatus.SENT).count() == 8
    # The hand-chasing of today's five who owe waits for review.
    assert Message.objects.filter(kind="reminder", status=MessageStatus.HELD).count() == 5
    (rule, offset, at, count), paused = page.context["rows"]
    assert (offset.label, at, count) == (
        "7 days before, at 08:00",
        dt.datetime(2026, 3, 5, 8, 0, tzinfo=ACCRA),
        5,
    )
    # The travel details rule is switched off: it sends nothing.
    assert (paused[0].name, paused[0].is_active, paused[1], paused[2]) == (
        "Travel details reminders",
        False,
        None,
        None,
    )


def test_the_demo_dashboard_shows_the_reminders_before_each_deadline(client):
    today = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ACCRA)
    with time_machine.travel(today, tick=False):
        call_command("load_demo", "--today", stdout=StringIO())
        meeting = Meeting.objects.get(slug=DEMO_SLUG)
        user = UserFactory()
        meeting.organisers.add(user)
        client.force_login(user)
        page = client.get(reverse("participants:dashboard", kwargs={"slug": DEMO_SLUG}))

    panel = next(panel for panel, _ in page.context["panels"] if panel.slug == "reminders")
    shown = {
        table.caption.split(":")[0]: [(label, cells[1].text) for label, cells in table.rows]
        for table in panel.tables
    }
    assert shown == {
        "Expert paper": [
            ("Expert paper reminders: 14 days before, at 08:00", "Sent to 8"),
            ("Expert paper reminders: 7 days before, at 08:00", "Will send"),
            ("Expert paper reminders: 2 days before, at 08:00", "Will send"),
            ("Expert paper reminders: on the day, at 08:00", "Will send"),
        ],
        "Travel details": [
            (
                "Travel details reminders: 7 days before, at 09:00",
                "Paused: the rule is switched off",
            ),
            (
                "Travel details reminders: 2 days before, at 09:00",
                "Paused: the rule is switched off",
            ),
        ],
        "Registration": [("No reminder rule", "Nothing is sent")],
    }
    assert panel.tables[0].rows[1][1][2].number == 5


def test_the_demo_shows_one_batch_held_for_review(client):
    today = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ACCRA)
    with time_machine.travel(today, tick=False):
        call_command("load_demo", "--today", stdout=StringIO())
        call_command("load_demo", "--today", stdout=StringIO())  # again: no second batch
        meeting = Meeting.objects.get(slug=DEMO_SLUG)
        user = UserFactory()
        meeting.organisers.add(user)
        client.force_login(user)
        page = client.get(reverse("outbox:page", kwargs={"slug": DEMO_SLUG}))
        (held,) = page.context["held_batches"]
        preview = client.get(
            reverse("outbox:batch", kwargs={"slug": DEMO_SLUG, "batch": held.batch})
        )

    assert (meeting.hold_bulk_mail_over, held.kind, held.messages) == (4, "reminder", 5)
    assert preview.status_code == 200
    assert dict(page.context["counts"])["Held for review"] == 5
