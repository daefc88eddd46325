"""The outbox in the admin: bodies with secret links redacted, why a message failed, resend."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from notifications.models import Message, MessageStatus
from notifications.resources import MessageResource
from participants.organisers import ensure_organiser
from tests.factories import MessageFactory, UserFactory
from tests.participants.support import future_meeting, invited

pytestmark = pytest.mark.django_db

CHANGE = "admin:notifications_message_change"
LIST = "admin:notifications_message_changelist"
EXPORT = "/admin/notifications/message/export/"


def _organiser(meeting):
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-test-password", meetings=[meeting]
    )
    return user


def _superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def invitation(settings):
    settings.SITE_URL = "https://egm.example.org"
    meeting = future_meeting()
    participant, token = invited(meeting, email="ama.mensah@example.org")
    message = Message.objects.get(recipient="ama.mensah@example.org")
    return meeting, message, token


@pytest.mark.parametrize("who", ["organiser", "superuser"])
def test_invitation_in_the_admin_shows_no_usable_token(client, invitation, who):
    meeting, message, token = invitation
    # The stored message keeps the real link: it is what is sent.
    assert token in message.body_text
    assert token in message.body_html
    client.force_login(_organiser(meeting) if who == "organiser" else _superuser())

    change = client.get(reverse(CHANGE, args=[message.pk]))
    listing = client.get(reverse(LIST))
    search = client.get(reverse(LIST), {"q": "ama.mensah"})

    assert change.status_code == listing.status_code == search.status_code == 200
    for page in (change, listing, search):
        assert token not in page.content.decode()
    accept = f"https://egm.example.org/m/{meeting.slug}/invitation/[redacted]/accept/"
    assert accept in change.content.decode()


@pytest.mark.parametrize("who", ["organiser", "superuser"])
def test_outbox_export_redacts_the_token_and_keeps_to_ones_meetings(client, invitation, who):
    meeting, message, token = invitation
    other = MessageFactory(meeting=future_meeting(), recipient="elsewhere@example.org")
    client.force_login(_organiser(meeting) if who == "organiser" else _superuser())
    chosen = {f"messageresource_{name}": "on" for name in MessageResource._meta.fields}

    response = client.post(EXPORT, {"format": "0", "resource": "0", **chosen})

    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert token not in text
    theirs = [row["recipient"] for row in rows if row["recipient"] == other.recipient]
    assert theirs == ([] if who == "organiser" else [other.recipient])
    (row,) = [row for row in rows if row["recipient"] == "ama.mensah@example.org"]
    assert f"/m/{meeting.slug}/invitation/[redacted]/accept/" in row["body_text"]
    assert f"/m/{meeting.slug}/invitation/[redacted]/decline/" in row["body_html"]


def test_failed_message_shows_why_and_its_attempts(client):
    message = MessageFactory(
        status=MessageStatus.FAILED,
        attempts=2,
        last_error="SMTPRecipientsRefused: {'x@example.org': (550, b'5.1.1 No such mailbox')}",
        attempt_log=[
            {"at": "2009-11-04T08:00:00+00:00", "outcome": "retry", "error": "451 Try later"},
            {"at": "2009-11-04T08:01:00+00:00", "outcome": "failed", "error": "550 No mailbox"},
        ],
    )
    client.force_login(_superuser())

    listing = client.get(reverse(LIST)).content.decode()
    change = client.get(reverse(CHANGE, args=[message.pk])).content.decode()

    assert "5.1.1 No such mailbox" in listing
    assert "<td>2009-11-04T08:00:00+00:00</td><td>retry</td><td>451 Try later</td>" in change
    assert "<td>2009-11-04T08:01:00+00:00</td><td>failed</td><td>550 No mailbox</td>" in change
    assert "Resend this message" in change


def test_resend_button_queues_one_failed_message(client, django_capture_on_commit_callbacks):
    failed = MessageFactory(status=MessageStatus.FAILED, next_attempt_at=None)
    other = MessageFactory(status=MessageStatus.FAILED, next_attempt_at=None)
    client.force_login(_superuser())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:notifications_message_resend", args=[failed.pk]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The message is queued to be sent again."
    ]
    failed.refresh_from_db()
    other.refresh_from_db()
    assert (failed.status, other.status) == (MessageStatus.QUEUED, MessageStatus.FAILED)


def test_resend_button_is_not_offered_for_a_sent_message_and_refuses_it(client):
    sent = MessageFactory(status=MessageStatus.SENT)
    client.force_login(_superuser())

    change = client.get(reverse(CHANGE, args=[sent.pk])).content.decode()
    response = client.post(reverse("admin:notifications_message_resend", args=[sent.pk]))

    assert "Resend this message" not in change
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only a failed message can be resent."
    ]
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT


def test_resend_action_queues_the_selected_failed_messages(client):
    failed = MessageFactory.create_batch(2, status=MessageStatus.FAILED, next_attempt_at=None)
    sent = MessageFactory(status=MessageStatus.SENT)
    client.force_login(_superuser())

    response = client.post(
        reverse(LIST),
        {"action": "resend_messages", "_selected_action": [m.pk for m in [*failed, sent]]},
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 message(s) queued to be sent again.",
        "1 message(s) had not failed and were left as they are.",
    ]
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert [statuses[m.pk] for m in [*failed, sent]] == ["queued", "queued", "sent"]


def test_organiser_cannot_resend_another_meetings_message(client):
    ours = future_meeting()
    theirs = future_meeting()
    message = MessageFactory(meeting=theirs, status=MessageStatus.FAILED, next_attempt_at=None)
    client.force_login(_organiser(ours))

    response = client.post(reverse("admin:notifications_message_resend", args=[message.pk]))

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
