"""The outbox's send-time checks: a kind's check cancels, with its reason, what is no longer
owed; other kinds are untouched; the beat task's schedule."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from notifications import outbox
from notifications.models import Message, MessageStatus, ReminderRule
from notifications.tasks import send_message
from tests.factories import DeadlineFactory, MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_for_test_kind():
    outbox.register_send_check(
        "test.owed",
        lambda messages: {message.pk: "Cancelled: paid meanwhile." for message in messages},
    )
    yield
    outbox._send_checks.pop("test.owed")


def test_a_send_check_cancels_with_its_reason_and_sends_nothing(check_for_test_kind, mailoutbox):
    owed = MessageFactory(kind="test.owed")
    other = MessageFactory(kind="invitation")

    send_message.apply(args=[owed.pk])
    send_message.apply(args=[other.pk])

    owed.refresh_from_db()
    other.refresh_from_db()
    assert (owed.status, owed.last_error) == (MessageStatus.CANCELLED, "Cancelled: paid meanwhile.")
    assert other.status == MessageStatus.SENT
    assert [email.subject for email in mailoutbox] == [other.subject]


def test_the_reminder_dispatch_runs_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-dispatch-reminders"]
    assert (entry["task"], entry["schedule"]) == (
        "notifications.dispatch_reminders",
        dt.timedelta(minutes=5),
    )


def test_the_admin_refuses_a_rule_sending_after_the_deadline(client):
    deadline = DeadlineFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:notifications_reminderrule_add"),
        {
            "deadline": deadline.pk,
            "name": "On the dot",
            "audience": "paper_missing",
            "offsets_text": "0d",
            "subject_template": "Your paper",
            "body_template": "Dear {{ name }}",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["offsets_text"] == [
        "The reminder at the due time would go Thursday 5 November 2009, 23:59 Africa/Accra "
        "(GMT), not before the deadline (Thursday 5 November 2009, 23:59 Africa/Accra (GMT))."
    ]
    assert ReminderRule.objects.count() == 0
    assert Message.objects.count() == 0
