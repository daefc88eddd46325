"""The sending task and the beat sweep against a real SMTP server that says "try later" or
"no", or is not there at all; time driven forward with time-machine."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications import outbox
from notifications.models import Message, MessageStatus
from notifications.tasks import dispatch_due_messages, send_message
from tests.factories import MessageFactory
from tests.notifications.support import message_ids, run
from tests.smtp import SMTPSink

TRY_LATER = "451 4.3.0 Try later"
REJECTED = "550 5.1.1 No such mailbox"
NOT_SIGNED_IN = "530 5.7.0 Authentication required"
START = dt.datetime(2009, 11, 4, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def smtp_settings(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 30 * 60
    settings.OUTBOX_RETRY_HOURS = 48

    def point_at(sink: SMTPSink):
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)

    return point_at


@pytest.fixture
def worker(broker_tasks):
    """Run, like a worker, every sending task waiting in the broker; returns how many
    messages they carried."""

    def run_waiting() -> int:
        tasks = broker_tasks()
        run(tasks)
        return len(message_ids(tasks))

    return run_waiting


@pytest.fixture
def beat(worker, django_capture_on_commit_callbacks):
    """One run of the beat sweep, then the worker; returns how many messages were sent off."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due_messages.apply()
        return worker()

    return run


def _state(message) -> tuple:
    message.refresh_from_db()
    return message.status, message.attempts


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_try_later_is_tried_again_when_due_then_sent(smtp_settings, beat, stage):
    with (
        time_machine.travel(START, tick=False) as clock,
        SMTPSink(**{f"{stage}_replies": [TRY_LATER]}) as sink,
    ):
        smtp_settings(sink)
        message = MessageFactory()
        send_message.apply(args=[message.pk])

        assert _state(message) == (MessageStatus.QUEUED, 1)
        assert message.next_attempt_at == START + timedelta(seconds=60)
        assert message.retry_until == START + timedelta(hours=48)
        assert "451" in message.last_error
        assert message.attempt_log == [
            {"at": START.isoformat(), "outcome": "retry", "error": message.last_error}
        ]
        clock.shift(timedelta(seconds=59))
        assert beat() == 0
        clock.shift(timedelta(seconds=1))
        assert beat() == 1

    assert sink.attempts == 2
    assert [email["Subject"] for email in sink.received] == [message.subject]
    assert _state(message) == (MessageStatus.SENT, 2)
    assert message.last_error == ""
    assert message.next_attempt_at is None
    assert [entry["outcome"] for entry in message.attempt_log] == ["retry", "sent"]


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_a_permanent_refusal_of_the_recipient_fails_at_once(smtp_settings, beat, stage):
    with (
        time_machine.travel(START, tick=False) as clock,
        SMTPSink(repeat_last=True, **{f"{stage}_replies": [REJECTED]}) as sink,
    ):
        smtp_settings(sink)
        message = MessageFactory()
        send_message.apply(args=[message.pk])
        clock.shift(timedelta(hours=1))
        assert beat() == 0

    assert sink.attempts == 1
    assert _state(message) == (MessageStatus.FAILED, 1)
    assert message.last_error.startswith("SMTP")
    assert "550" in message.last_error
    assert message.next_attempt_at is None


@pytest.mark.django_db
def test_our_own_account_refused_at_login_is_tried_again(smtp_settings):
    with time_machine.travel(START, tick=False), SMTPSink(refuse_login=True) as sink:
        smtp_settings(sink)
        message = MessageFactory()
        send_message.apply(args=[message.pk])

    assert sink.received == []
    assert _state(message) == (MessageStatus.QUEUED, 1)
    assert message.last_error.startswith("SMTPAuthenticationError: (535")
    assert message.next_attempt_at == START + timedelta(seconds=60)


@pytest.mark.django_db
def test_authentication_required_at_rcpt_is_tried_again(smtp_settings):
    with time_machine.travel(START, tick=False), SMTPSink(rcpt_replies=[NOT_SIGNED_IN]) as sink:
        smtp_settings(sink)
        message = MessageFactory()
        send_message.apply(args=[message.pk])

    assert _state(message) == (MessageStatus.QUEUED, 1)
    assert "530" in message.last_error


@pytest.mark.django_db
def test_a_server_that_is_down_is_tried_again(smtp_settings):
    smtp_settings(SMTPSink())  # never started: the port refuses connections

    with time_machine.travel(START, tick=False):
        message = MessageFactory()
        send_message.apply(args=[message.pk])

    assert _state(message) == (MessageStatus.QUEUED, 1)
    assert message.last_error.startswith("ConnectionRefusedError")


def _queue_three() -> list[Message]:
    return [
        outbox.queue(
            recipient=f"expert{number}@example.org",
            subject="Your paper is due on 5 November 2009",
            body_text="Dear colleague, your paper of 5 to 10 pages is due on 5 November 2009.",
            idempotency_key=f"paper-reminder:{number}",
            kind="paper_reminder",
        )
        for number in range(3)
    ]


@pytest.mark.django_db
def test_a_day_long_outage_loses_nothing_and_sends_each_message_once(
    smtp_settings, worker, beat, django_capture_on_commit_callbacks
):
    sink = SMTPSink()  # down until it is started
    smtp_settings(sink)
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            messages = _queue_three()
        assert worker() == 3
        while timezone.now() < START + timedelta(hours=24):
            clock.shift(timedelta(minutes=1))
            beat()

        # A day later: nothing sent, nothing given up, each tried on the doubling schedule
        # (1, 2, 4, 8, 16 minutes, then every 30): at minutes 0, 1, 3, 7, 15, 31, 61, ... 1411.
        assert {_state(message) for message in messages} == {(MessageStatus.QUEUED, 52)}
        with sink:
            for _minute in range(31):
                clock.shift(timedelta(minutes=1))
                beat()
            # Every sweep and task after delivery finds nothing to send.
            assert beat() == 0
            assert worker() == 0

    assert sorted(email["To"] for email in sink.received) == [
        "expert0@example.org",
        "expert1@example.org",
        "expert2@example.org",
    ]
    assert {_state(message) for message in messages} == {(MessageStatus.SENT, 53)}
    for message in messages:
        assert message.sent_at == START + timedelta(minutes=1441)
        times = [dt.datetime.fromisoformat(entry["at"]) for entry in message.attempt_log]
        steps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert max(steps) == timedelta(minutes=30)  # below the broker's visibility timeout
        assert [entry["outcome"] for entry in message.attempt_log[-2:]] == ["retry", "sent"]


@pytest.mark.django_db
def test_an_outage_longer_than_the_retry_window_fails_and_a_resend_delivers(
    smtp_settings, worker, beat, django_capture_on_commit_callbacks
):
    sink = SMTPSink()
    smtp_settings(sink)
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            message = _queue_three()[0]
        worker()
        while timezone.now() < START + timedelta(hours=49):
            clock.shift(timedelta(minutes=10))
            beat()

        assert _state(message)[0] == MessageStatus.FAILED
        assert message.last_error.startswith("ConnectionRefusedError")
        assert message.attempt_log[-1]["outcome"] == "failed"
        assert message.next_attempt_at is None
        with sink:
            with django_capture_on_commit_callbacks(execute=True):
                assert outbox.resend(message) is True
            assert worker() == 1

    assert [email["To"] for email in sink.received] == ["expert0@example.org"]
    assert _state(message)[0] == MessageStatus.SENT


def test_retry_delay_doubles_and_stays_below_the_visibility_timeout(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 30 * 60

    delays = [outbox.retry_delay(attempts).total_seconds() for attempts in range(1, 9)]

    assert delays == [60, 120, 240, 480, 960, 1800, 1800, 1800]
    assert max(delays) < settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
