"""The outbox: queue once per key, send after commit, claim so that one worker sends."""

import email
import re
import threading
from datetime import timedelta
from email import policy

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import Message, MessageStatus
from notifications.tasks import send_message
from tests.celery_broker import unreachable_broker
from tests.factories import MeetingFactory, MessageFactory
from tests.notifications.support import message_ids, run
from tests.participants.support import future_meeting, invited

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def _queue(key="paper-reminder:1", **overrides):
    fields = {
        "recipient": "kofi.mensah@example.org",
        "subject": "Your paper is due on 5 November 2009",
        "body_text": "Dear Dr Mensah, your paper of 5 to 10 pages is due on 5 November 2009.",
        "idempotency_key": key,
        "kind": "paper_reminder",
    }
    fields.update(overrides)
    return outbox.queue(**fields)


@pytest.mark.django_db
def test_queue_same_key_twice_makes_one_message_and_one_task(
    django_capture_on_commit_callbacks, broker_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        second = _queue(subject="A different subject")

    assert Message.objects.count() == 1
    assert second.pk == first.pk
    assert second.subject == "Your paper is due on 5 November 2009"
    assert broker_tasks() == [("notifications.send_message", [first.pk])]


@pytest.mark.django_db
def test_queue_dispatches_nothing_before_commit(django_capture_on_commit_callbacks, broker_tasks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _queue()

    assert broker_tasks() == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert broker_tasks() == [("notifications.send_message", [message.pk])]


@pytest.mark.django_db
def test_queue_in_rolled_back_transaction_leaves_nothing(
    django_capture_on_commit_callbacks, broker_tasks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue()
        raise RuntimeError("the registration failed")

    assert Message.objects.count() == 0
    assert callbacks == []
    assert broker_tasks() == []


@pytest.mark.django_db
def test_queue_collapses_subject_whitespace_and_keeps_meeting(django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks():
        message = _queue(subject="  Your paper\n is due  ", meeting=meeting)

    message.refresh_from_db()
    assert message.subject == "Your paper is due"
    assert message.meeting == meeting
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 0


@pytest.mark.django_db
def test_queue_templated_renders_subject_text_and_html(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    folder = tmp_path / "notifications" / "email"
    folder.mkdir(parents=True)
    (folder / "welcome_subject.txt").write_text("Welcome to {{ city }}\n")
    (folder / "welcome_message.txt").write_text("Dear {{ name }}, see you in {{ city }}.")
    (folder / "welcome_message.html").write_text("<p>Dear {{ name }}, see you in {{ city }}.</p>")
    (folder / "plain_subject.txt").write_text("Plain")
    (folder / "plain_message.txt").write_text("Text only.")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    with django_capture_on_commit_callbacks():
        welcome = outbox.queue_templated(
            template="notifications/email/welcome",
            context={"name": "Dr Mensah", "city": "Accra"},
            recipient="kofi.mensah@example.org",
            idempotency_key="welcome:1",
            kind="welcome",
        )
        plain = outbox.queue_templated(
            template="notifications/email/plain",
            context={},
            recipient="kofi.mensah@example.org",
            idempotency_key="plain:1",
            kind="plain",
        )

    assert welcome.subject == "Welcome to Accra"
    assert welcome.body_text == "Dear Dr Mensah, see you in Accra."
    assert welcome.body_html == "<p>Dear Dr Mensah, see you in Accra.</p>"
    assert plain.body_html == ""


@pytest.mark.django_db
def test_send_message_delivers_subject_bodies_and_attachments(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        message = _queue(
            body_html="<p>Dear Dr Mensah, your paper is due on 5 November 2009.</p>",
            attachments=[outbox.Attachment("paper-deadline.ics", ICS, "text/calendar")],
        )

    send_message.apply(args=[message.pk])

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["kofi.mensah@example.org"]
    assert sent.subject == "Your paper is due on 5 November 2009"
    assert sent.body == message.body_text
    assert sent.alternatives[0][0] == message.body_html
    assert sent.alternatives[0][1] == "text/html"
    assert [(a[0], a[2]) for a in sent.attachments] == [("paper-deadline.ics", "text/calendar")]
    assert sent.attachments[0][1] == ICS.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.last_error == ""


@pytest.mark.django_db
def test_deliver_twice_sends_once():
    message = MessageFactory()

    first = outbox.deliver(message.pk)
    second = outbox.deliver(message.pk)

    assert first.status == MessageStatus.SENT
    assert second is None
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db
def test_claim_refuses_a_message_another_worker_holds():
    message = MessageFactory()

    assert outbox.claim(message.pk).status == MessageStatus.SENDING
    assert outbox.claim(message.pk) is None


@pytest.mark.django_db
def test_cancel_stops_a_queued_message():
    message = MessageFactory()

    assert outbox.cancel(message) is True
    send_message.apply(args=[message.pk])

    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    assert message.attempts == 0


@pytest.mark.django_db
def test_cancel_leaves_a_sent_message_alone():
    message = MessageFactory()
    outbox.deliver(message.pk)

    assert outbox.cancel(message) is False
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def _age(message, *, status, minutes, claimed=False, dispatched=True):
    then = timezone.now() - timedelta(minutes=minutes)
    Message.objects.filter(pk=message.pk).update(
        status=status,
        updated_at=then,
        next_attempt_at=then,
        dispatched_at=then if dispatched else None,
        claimed_at=then if claimed else None,
    )


@pytest.mark.django_db
def test_dispatch_due_sends_lost_tasks_dead_claims_due_retries_and_undispatched(
    django_capture_on_commit_callbacks, broker_tasks
):
    lost = MessageFactory()
    _age(lost, status=MessageStatus.QUEUED, minutes=40)
    dead_claim = MessageFactory()
    _age(dead_claim, status=MessageStatus.SENDING, minutes=20, claimed=True)
    broker_refused = MessageFactory()
    _age(broker_refused, status=MessageStatus.QUEUED, minutes=1, dispatched=False)
    retry_due = MessageFactory()
    _age(retry_due, status=MessageStatus.QUEUED, minutes=10)
    Message.objects.filter(pk=retry_due.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=5)
    )
    in_the_broker = MessageFactory()
    _age(in_the_broker, status=MessageStatus.QUEUED, minutes=1)
    retry_later = MessageFactory()
    _age(retry_later, status=MessageStatus.QUEUED, minutes=10)
    Message.objects.filter(pk=retry_later.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    busy = MessageFactory()
    _age(busy, status=MessageStatus.SENDING, minutes=1, claimed=True)
    for status in (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.CANCELLED):
        _age(MessageFactory(), status=status, minutes=60, dispatched=False)

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox.dispatch_due()

    expected = sorted([lost.pk, dead_claim.pk, broker_refused.pk, retry_due.pk])
    assert count == 4
    assert message_ids(broker_tasks()) == expected
    dead_claim.refresh_from_db()
    assert dead_claim.status == MessageStatus.QUEUED
    busy.refresh_from_db()
    assert busy.status == MessageStatus.SENDING


@pytest.mark.django_db
def test_dispatch_due_twice_dispatches_once(django_capture_on_commit_callbacks, broker_tasks):
    lost = MessageFactory()
    _age(lost, status=MessageStatus.QUEUED, minutes=40)

    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.dispatch_due()
        second = outbox.dispatch_due()

    assert (first, second) == (1, 0)
    assert broker_tasks() == [("notifications.send_message", [lost.pk])]


@pytest.mark.django_db
def test_dispatched_dead_claim_is_sent(django_capture_on_commit_callbacks):
    dead_claim = MessageFactory()
    _age(dead_claim, status=MessageStatus.SENDING, minutes=20, claimed=True)

    with django_capture_on_commit_callbacks(execute=True):
        outbox.dispatch_due()
    send_message.apply(args=[dead_claim.pk])

    assert len(mail.outbox) == 1
    dead_claim.refresh_from_db()
    assert dead_claim.status == MessageStatus.SENT


@pytest.mark.django_db
def test_a_task_that_arrives_before_the_retry_is_due_sends_nothing():
    message = MessageFactory(next_attempt_at=timezone.now() + timedelta(minutes=2))

    assert outbox.deliver(message.pk) is None

    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)


@pytest.mark.django_db
def test_a_worker_whose_clock_is_a_few_seconds_behind_still_sends():
    message = MessageFactory(next_attempt_at=timezone.now() + timedelta(seconds=10))

    assert outbox.deliver(message.pk).status == MessageStatus.SENT

    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_resend_queues_a_failed_message_again_and_sends_it(
    django_capture_on_commit_callbacks, broker_tasks
):
    message = MessageFactory(
        status=MessageStatus.FAILED,
        attempts=3,
        last_error="SMTPRecipientsRefused: {'expert@example.org': (550, b'No such mailbox')}",
        next_attempt_at=None,
        retry_until=timezone.now() - timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.resend(message) is True
    assert broker_tasks() == [("notifications.send_message", [message.pk])]
    send_message.apply(args=[message.pk])

    assert [email.to for email in mail.outbox] == [[message.recipient]]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 4, "")
    assert message.retry_until is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.CANCELLED],
)
def test_resend_leaves_a_message_that_has_not_failed_alone(
    status, django_capture_on_commit_callbacks, broker_tasks
):
    message = MessageFactory(status=status)

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.resend(message) is False

    assert broker_tasks() == []
    message.refresh_from_db()
    assert message.status == status


def _race(target, count: int) -> list:
    """Run ``target`` in ``count`` threads released at the same instant."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = target()
        except Exception as exc:  # surfaced below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_on_postgres_one_wins():
    messages = MessageFactory.create_batch(10)

    for message in messages:
        claims = _race(lambda pk=message.pk: outbox.claim(pk), 2)
        assert sorted(claim is None for claim in claims) == [False, True]

    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_on_postgres_send_one_email():
    messages = MessageFactory.create_batch(10)

    for message in messages:
        _race(lambda pk=message.pk: outbox.deliver(pk), 2)

    assert sorted(email.to[0] for email in mail.outbox) == sorted(m.recipient for m in messages)
    assert set(Message.objects.values_list("status", "attempts")) == {(MessageStatus.SENT, 1)}


def _raw(message: Message) -> bytes:
    """The message as the SMTP server receives it, sent through the task."""
    send_message.apply(args=[message.pk])
    return mail.outbox[-1].message().as_bytes()


def _headers(raw: bytes) -> bytes:
    return raw.split(b"\n\n", 1)[0]


@pytest.mark.django_db
def test_email_is_marked_automatic_with_a_message_id_at_the_site_domain(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://egm.example.org"
    with django_capture_on_commit_callbacks():
        message = _queue()

    headers = _headers(_raw(message))

    assert b"\nAuto-Submitted: auto-generated\n" in headers
    assert re.fullmatch(r"<[^<>@\s]+@egm\.example\.org>", message.message_id)
    assert f"\nMessage-ID: {message.message_id}\n".encode() in headers


@pytest.mark.django_db
def test_every_attempt_sends_the_same_message_id(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        message = _queue()

    first = outbox.build_email(message).message()
    second = outbox.build_email(message).message()

    assert first["Message-ID"] == second["Message-ID"] == message.message_id


@pytest.mark.django_db
def test_reply_to_is_the_meetings_secretariat(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(
        contact_name="DSPD Secretariat", contact_email="egm-secretariat@un.example.org"
    )
    with django_capture_on_commit_callbacks():
        message = _queue(meeting=meeting)

    headers = _headers(_raw(message))

    assert b"\nReply-To: DSPD Secretariat <egm-secretariat@un.example.org>\n" in headers


@pytest.mark.django_db
def test_no_reply_to_when_the_meeting_names_no_secretariat(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(contact_name="", contact_email="")
    with django_capture_on_commit_callbacks():
        without_meeting = _queue(key="a")
        without_contact = _queue(key="b", meeting=meeting)

    assert b"Reply-To:" not in _headers(_raw(without_meeting))
    assert b"Reply-To:" not in _headers(_raw(without_contact))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "subject",
    [
        "Réunion d’experts : stratégies pratiques pour promouvoir l’intégration sociale, Accra",
        "Café",
    ],
)
def test_non_ascii_subject_is_encoded_on_the_subject_line_without_a_leading_space(
    subject, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        message = _queue(subject=subject)

    raw = _raw(message)

    assert b"\nSubject: =?utf-8?" in _headers(raw)
    assert str(email.message_from_bytes(raw, policy=policy.default)["Subject"]) == subject


@pytest.mark.django_db
def test_long_ascii_subject_folds_after_its_first_words(django_capture_on_commit_callbacks):
    subject = (
        "Reminder: Invitation: Practical Strategies to Promote Social Integration, Accra, "
        "17 Nov to 19 Nov 2009"
    )
    with django_capture_on_commit_callbacks():
        message = _queue(subject=subject)

    raw = _raw(message)

    assert b"\nSubject: Reminder: Invitation: Practical Strategies" in _headers(raw)
    assert str(email.message_from_bytes(raw, policy=policy.default)["Subject"]) == subject


def _calendar(method: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//EGM Desk//EN"]
    if method:
        lines.append(f"METHOD:{method}")
    lines += ["BEGIN:VEVENT", "SUMMARY:Opening – Accra", "END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode()


def _calendar_part_type(raw: bytes) -> bytes:
    return re.search(rb"\nContent-Type: (text/calendar[^\n]*)\n", raw).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUBLISH", "REQUEST", "CANCEL"])
def test_calendar_part_carries_the_method_of_the_calendar_inside(
    method, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        message = _queue(
            attachments=[outbox.Attachment("meeting.ics", _calendar(method), "text/calendar")]
        )

    raw = _raw(message)

    assert _calendar_part_type(raw) == f'text/calendar; charset="utf-8"; method={method}'.encode()
    assert b'Content-Disposition: attachment; filename="meeting.ics"' in raw


@pytest.mark.django_db
def test_calendar_without_method_gets_no_method_parameter(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        message = _queue(attachments=[outbox.Attachment("a.ics", _calendar(), "text/calendar")])

    assert _calendar_part_type(_raw(message)) == b'text/calendar; charset="utf-8"'


@pytest.mark.django_db
def test_text_templates_are_not_html_escaped_and_html_is(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    folder = tmp_path / "notifications" / "email"
    folder.mkdir(parents=True)
    (folder / "title_subject.txt").write_text("Agenda: {{ meeting_title }}\n")
    (folder / "title_message.txt").write_text("The agenda of {{ meeting_title }} has changed.")
    (folder / "title_message.html").write_text("<p>The agenda of {{ meeting_title }}.</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    with django_capture_on_commit_callbacks():
        message = outbox.queue_templated(
            template="notifications/email/title",
            context={"meeting_title": "Tom & Jerry <x>"},
            recipient="kofi.mensah@example.org",
            idempotency_key="title:1",
            kind="title",
        )
    raw = _raw(message)

    assert message.subject == "Agenda: Tom & Jerry <x>"
    assert message.body_text == "The agenda of Tom & Jerry <x> has changed."
    assert message.body_html == "<p>The agenda of Tom &amp; Jerry &lt;x&gt;.</p>"
    assert b"\nSubject: Agenda: Tom & Jerry <x>\n" in _headers(raw)


@pytest.mark.django_db
def test_queue_with_the_broker_down_saves_the_message_and_the_sweep_sends_it(
    django_capture_on_commit_callbacks, broker_tasks, caplog
):
    with unreachable_broker() as url, django_capture_on_commit_callbacks(execute=True):
        first = _queue(key="a")
        second = _queue(key="b")

    address = url.removeprefix("redis://").removesuffix("/0")
    logged = [record.getMessage() for record in caplog.records if record.name == outbox.__name__]
    assert broker_tasks() == []
    assert logged == [
        f"Could not hand message {first.pk} to the broker (OperationalError: Error 111 "
        f"connecting to {address}. Connection refused.); the sweep will send it.",
        f"Could not hand message {second.pk} to the broker (BrokerUnavailable: the broker "
        "refused a task less than 30s ago); the sweep will send it.",
    ]
    assert set(Message.objects.values_list("status", "dispatched_at")) == {
        (MessageStatus.QUEUED, None)
    }

    # The broker is back: the next sweep hands both over, and the worker sends them.
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.dispatch_due() == 2
    assert run(broker_tasks()) == 1  # the two in one batch

    assert sorted(sent.to[0] for sent in mail.outbox) == ["kofi.mensah@example.org"] * 2
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


@pytest.mark.django_db
def test_an_invitation_on_the_wire_is_automatic_replies_to_the_secretariat_and_names_its_method(
    settings,
):
    settings.SITE_URL = "https://egm.example.org"
    meeting = future_meeting(
        title="Réunion d’experts sur l’intégration sociale",
        contact_name="DSPD Secretariat",
        contact_email="egm-secretariat@un.example.org",
    )
    participant, _token = invited(meeting)

    raw = _raw(Message.objects.get(recipient=participant.email))
    parsed = email.message_from_bytes(raw, policy=policy.default)
    calendar = next(part for part in parsed.walk() if part.get_content_type() == "text/calendar")
    method = re.search(rb"^METHOD:(\w+)", calendar.get_content().encode(), re.MULTILINE)

    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Reply-To"] == "DSPD Secretariat <egm-secretariat@un.example.org>"
    assert parsed["Message-ID"].endswith("@egm.example.org>")
    assert str(parsed["Subject"]).startswith("Invitation: Réunion d’experts sur l’intégration")
    assert calendar["Content-Type"].params == {
        "charset": "utf-8",
        "method": method.group(1).decode(),
    }
