"""Queue an email and send it: the only way mail leaves the system.

``queue`` writes a ``Message`` (once per idempotency key) and hands the sending task to the
broker after the surrounding transaction commits; many messages queued at once go in tasks
of ``SEND_BATCH_SIZE``. ``deliver`` is what the task runs: it claims the row with a
conditional update, so two workers can never send the same message, and records the
outcome; ``deliver_batch`` does the same for each message of a batch, over one SMTP
connection. A failure the mail server may get over (it is down, says "try later", or
refuses our own account) puts the message back in the queue with a later ``next_attempt_at``;
the beat sweep (``dispatch_due``) hands it to the broker again when that time comes, for
hours, so a day-long outage loses nothing. No task waits in the broker for its retry, so no
delay ever comes near the broker's visibility timeout. Knows no domain app.
"""

import base64
import contextlib
import logging
import re
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.header import Header
from email.headerregistry import Address
from functools import partial
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, make_msgid
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from .models import Message, MessageStatus

logger = logging.getLogger(__name__)

# The sending task, called by name through the Celery app: the tasks module sits above
# this one (it imports the outbox), so the outbox does not import it back.
SEND_TASK = "notifications.send_message"
SEND_BATCH_TASK = "notifications.send_messages"
# Many messages queued at once (a fan-out, a released batch, a sweep) go to the broker in
# tasks of this many, each sent over one SMTP connection. A single email (a sign-in code, a
# receipt) has a task of its own and goes at once.
SEND_BATCH_SIZE = 100
# A batch takes no new message after this long and hands the rest back to the broker: a
# slow mail server must not keep a late-acknowledged task running towards the broker's
# visibility timeout, past which Redis would deliver it a second time.
BATCH_TIME_BUDGET = timedelta(minutes=5)
# A claim older than this is a worker that died mid-send; the message may be tried again.
STALE_CLAIM_AFTER = timedelta(minutes=15)
# A task handed to the broker that has not run by then is taken for lost and sent again
# (the claim still makes it one email).
REDISPATCH_AFTER = timedelta(minutes=30)
# Hosts' clocks differ a little: a task dispatched on time by one host may run on a worker
# whose clock is behind. Trying a few seconds early is harmless; skipping would wait for the
# redispatch.
CLOCK_TOLERANCE = timedelta(seconds=30)
# At most this many messages per sweep, so a sweep after a long outage stays one short
# transaction; the next sweep, a minute later, takes the rest.
SWEEP_BATCH = 500
# The attempt history keeps the latest entries; ``attempts`` counts them all.
ATTEMPT_LOG_LENGTH = 50
# Answers about our own account (530 authentication required, 534 and 538 mechanism,
# 535 credentials refused): a configuration to fix, not a refusal of the recipient.
OWN_ACCOUNT_CODES = frozenset({530, 534, 535, 538})
# After the broker refuses a task, this process stops asking it for a while: a request that
# queues thirty invitations must not wait thirty times for a broker that is down.
BROKER_PAUSE = 30
_broker_down_until: dict[str, float] = {}
_CALENDAR_METHOD = re.compile(rb"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content_b64": base64.b64encode(self.content).decode("ascii"),
        }


class BrokerUnavailable(Exception):
    """The broker refused a task moments ago; this one is left to the sweep."""


def site_domain() -> str:
    """The host name of SITE_URL: the domain of every Message-ID."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_reply_to(meeting) -> str:
    """The meeting's secretariat as a Reply-To address, or "" when it names none."""
    email = getattr(meeting, "contact_email", "") if meeting is not None else ""
    if not email:
        return ""
    username, _, domain = email.rpartition("@")
    return str(Address(display_name=meeting.contact_name or "", username=username, domain=domain))


def queue(
    *,
    recipient: str,
    subject: str,
    body_text: str,
    idempotency_key: str,
    kind: str,
    body_html: str = "",
    meeting=None,
    attachments: Iterable[Attachment] = (),
    reply_to: str = "",
    batch: str = "",
) -> Message:
    """Record an email and send it after commit; the same key never makes a second email.

    Side effects: creates the ``Message`` (its Message-ID at the domain of SITE_URL, its
    Reply-To the meeting's secretariat unless ``reply_to`` is given) and dispatches the
    sending task on commit. A broker that is down does not fail the caller: see ``dispatch``.
    With a ``batch`` (see ``bulk_batch``) the message is held instead, and nothing is
    dispatched until an organiser releases the batch.
    """
    now = timezone.now()
    message, created = Message.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "recipient": recipient,
            "subject": " ".join(subject.split())[:300],
            "body_text": body_text,
            "body_html": body_html,
            "kind": kind,
            "meeting": meeting,
            "attachments": [attachment.as_json() for attachment in attachments],
            "message_id": make_msgid(domain=site_domain()),
            "reply_to": reply_to or meeting_reply_to(meeting),
            "next_attempt_at": None if batch else now,
            "dispatched_at": None if batch else now,
            "status": MessageStatus.HELD if batch else MessageStatus.QUEUED,
            "batch": batch,
        },
    )
    if created and not batch:
        dispatch(message)
    return message


def _render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: ``Tom & Jerry`` stays as it is."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def queue_templated(
    *,
    template: str,
    context: dict,
    recipient: str,
    idempotency_key: str,
    kind: str,
    meeting=None,
    attachments: Iterable[Attachment] = (),
    reply_to: str = "",
    batch: str = "",
) -> Message:
    """Render ``<template>_subject.txt``, ``_message.txt`` and ``_message.html``, then queue.

    ``template`` is a path prefix such as ``participants/email/invitation``. The subject and
    the text body are plain text and are not HTML-escaped; the HTML body is.
    """
    subject = _render_text(f"{template}_subject.txt", context).strip()
    body_text = _render_text(f"{template}_message.txt", context)
    try:
        body_html = render_to_string(f"{template}_message.html", context)
    except TemplateDoesNotExist:  # a plain-text email
        body_html = ""
    return queue(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        idempotency_key=idempotency_key,
        kind=kind,
        meeting=meeting,
        attachments=attachments,
        reply_to=reply_to,
        batch=batch,
    )


def dispatch(message: Message) -> None:
    """Hand the sending task to the broker once the surrounding transaction commits."""
    dispatch_many([message.pk])


def dispatch_many(message_ids: Sequence[int]) -> None:
    """Hand many messages to the broker after commit, ``SEND_BATCH_SIZE`` to a task."""
    if message_ids:
        transaction.on_commit(partial(_send_to_broker, list(message_ids)))


def _send_to_broker(message_ids: list[int]) -> None:
    broker = current_app.conf.broker_url
    for start in range(0, len(message_ids), SEND_BATCH_SIZE):
        chunk = message_ids[start : start + SEND_BATCH_SIZE]
        try:
            if time.monotonic() < _broker_down_until.get(broker, 0.0):
                raise BrokerUnavailable(f"the broker refused a task less than {BROKER_PAUSE}s ago")
            if len(chunk) == 1:
                current_app.send_task(SEND_TASK, args=(chunk[0],))
            else:
                current_app.send_task(SEND_BATCH_TASK, args=(chunk,))
        except Exception as exc:
            # The messages are saved: failing the request now would only show the organiser
            # an error for emails that will go. Marked as not dispatched, the sweep takes
            # them at its next run once the broker answers again.
            if not isinstance(exc, BrokerUnavailable):
                _broker_down_until[broker] = time.monotonic() + BROKER_PAUSE
            logger.warning(
                "Could not hand %s to the broker (%s: %s); the sweep will send %s.",
                f"message {chunk[0]}" if len(chunk) == 1 else f"{len(chunk)} messages",
                exc.__class__.__name__,
                exc,
                "it" if len(chunk) == 1 else "them",
            )
            Message.objects.filter(pk__in=chunk, status=MessageStatus.QUEUED).update(
                dispatched_at=None
            )


def cancel(message: Message) -> bool:
    """Stop a message that has not gone yet. Returns whether it was cancelled."""
    cancelled = bool(
        Message.objects.filter(pk=message.pk, status=MessageStatus.QUEUED).update(
            status=MessageStatus.CANCELLED, next_attempt_at=None, updated_at=timezone.now()
        )
    )
    if cancelled:
        _record_in_history([message.pk], "Cancelled")
    return cancelled


# ---------------------------------------------------------------- review before sending
def bulk_batch(meeting, recipients: int) -> str:
    """A new batch id when mail to ``recipients`` people must wait for review, else "".

    The meeting's ``hold_bulk_mail_over`` (0: never) sets how many is bulk. Callers that
    send one transactional email (a receipt, a sign-in code) never ask: it never waits.
    """
    limit = getattr(meeting, "hold_bulk_mail_over", 0) if meeting is not None else 0
    return uuid.uuid4().hex if limit and recipients > limit else ""


def held(*, meeting, batch: str):
    """The meeting's messages of ``batch`` still waiting for review."""
    return Message.objects.filter(meeting=meeting, batch=batch, status=MessageStatus.HELD)


def release_batch(*, meeting, batch: str) -> int:
    """Send a held batch: each message once. Returns how many were released.

    Side effects: the batch's held messages become ``queued`` and their sending tasks are
    dispatched on commit. The rows are locked and changed only while still held, so two
    organisers releasing at once release each message once (and the claim in ``deliver``
    sends each once).
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            held(meeting=meeting, batch=batch).select_for_update().values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=ids, status=MessageStatus.HELD).update(
            status=MessageStatus.QUEUED, next_attempt_at=now, dispatched_at=now, updated_at=now
        )
        _record_in_history(ids, "Released after review")
        dispatch_many(ids)
    return len(ids)


def cancel_batch(*, meeting, batch: str) -> int:
    """Drop a held batch: none of it is sent. Returns how many messages were cancelled.

    Side effects: the batch's held messages become ``cancelled``, with the reason.
    """
    with transaction.atomic():
        ids = list(
            held(meeting=meeting, batch=batch).select_for_update().values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=ids, status=MessageStatus.HELD).update(
            status=MessageStatus.CANCELLED,
            next_attempt_at=None,
            last_error="Cancelled by an organiser before sending (held for review).",
            updated_at=timezone.now(),
        )
        _record_in_history(ids, "Cancelled after review")
    return len(ids)


def _record_in_history(ids: list[int], reason: str) -> None:
    """Add the messages, as they now are, to their history in one write; who acted comes
    from the request (simple-history's middleware)."""
    Message.history.bulk_history_create(
        list(Message.objects.filter(pk__in=ids)), update=True, default_change_reason=reason
    )


def resend(message: Message) -> bool:
    """Send a failed message again, now, with a fresh retry window. Returns whether it was.

    Side effects: a ``failed`` message goes back to ``queued`` (its attempt count and history
    are kept) and its sending task is dispatched on commit. Any other status is left alone.
    """
    now = timezone.now()
    requeued = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED,
        next_attempt_at=now,
        dispatched_at=now,
        retry_until=None,
        updated_at=now,
    )
    if requeued:
        _record_in_history([message.pk], "Resent")
        dispatch(message)
    return bool(requeued)


def _claimable(now) -> Q:
    """Due and in nobody's hands: queued and due (``CLOCK_TOLERANCE`` early counts as due),
    or claimed by a worker so long ago that it must have died."""
    return Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now + CLOCK_TOLERANCE) | Q(
        status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )


def claim(message_id: int) -> Message | None:
    """Mark the message as being sent, if it is due and nobody else has; None otherwise.

    A single conditional UPDATE is atomic on every database, so of two workers racing
    for one message exactly one sees a row count of 1. A task that arrives before the
    message's next attempt is due (a copy of an earlier dispatch) finds nothing to do.
    """
    message = Message.objects.filter(_claimable(timezone.now()), pk=message_id).first()
    if message is None or not _claim_loaded(message):
        return None
    return message


def _claim_loaded(message: Message) -> bool:
    """Claim a message read as claimable a moment ago; on success the instance is the row.

    Every claim adds one to ``attempts`` and every other change moves ``status``, so the two
    are the row's version: the UPDATE matches only if the row is as it was read, and a row
    that was claimable then still is (time only makes a due message more due, and a dead
    claim older). Cheaper than asking the whole question again, once per message.
    """
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message.pk, status=message.status, attempts=message.attempts
    ).update(
        status=MessageStatus.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if claimed:
        message.status, message.claimed_at, message.updated_at = MessageStatus.SENDING, now, now
        message.attempts += 1
    return bool(claimed)


@contextlib.contextmanager
def _commits_without_waiting():
    """While sending, commits do not wait for the disk (PostgreSQL's ``synchronous_commit``).

    Delivery writes twice per message (the claim, the outcome); waiting each time for the
    disk would cost more than sending the email. Other workers see each change as soon as
    it commits, as always: only a crash of the database server itself can lose the last
    fraction of a second of them, which leaves those messages claimable again (see
    ``deliver_batch`` for what that means for duplicates).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        # The connection may be gone or its transaction failed; a new session starts with
        # the server's setting anyway.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


def calendar_method(content: bytes) -> str:
    """The METHOD of an iCalendar file (``PUBLISH``, ``REQUEST``...), or "" when it has none."""
    found = _CALENDAR_METHOD.search(content)
    return found.group(1).decode("ascii").upper() if found else ""


class OutboxEmail(EmailMultiAlternatives):
    """Django's email with the MIME details mail clients look at put right."""

    def message(self):
        mime = super().message()
        # Django folds an encoded subject (or one long word) right after "Subject:", and the
        # folding space then reads as part of the subject; counted with the header's name,
        # the first word stays on the first line.
        charset = "us-ascii" if self.subject.isascii() else "utf-8"
        mime.replace_header("Subject", Header(self.subject, charset, header_name="Subject"))
        for part in mime.walk():
            if part.get_content_type() == "text/calendar":
                # RFC 5545 section 8.1: the part's method is the calendar's METHOD.
                method = calendar_method(part.get_payload(decode=True) or b"")
                if method:
                    part.set_param("method", method, requote=False)
        return mime


def build_email(message: Message) -> OutboxEmail:
    email = OutboxEmail(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={
            "Message-ID": message.message_id or make_msgid(domain=site_domain()),
            # RFC 3834: out-of-office and other automatic replies are not sent back.
            "Auto-Submitted": "auto-generated",
            "X-EGM-Message-Id": str(message.pk),
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content_b64"]),
            attachment["mimetype"],
        )
    return email


def is_transient(exc: Exception) -> bool:
    """Whether trying again later may get the message through.

    Only the recipient's side refusing for good is final: a 5xx answer to RCPT TO, or to the
    message itself at DATA. A 4xx answer, a server that cannot be reached or drops the line,
    and refusals of our own account or sender (authentication, 530/535) are retried: they
    pass, or an operator fixes the configuration, and the mail still goes.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return not any(code >= 500 and code not in OWN_ACCOUNT_CODES for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code < 500 or exc.smtp_code in OWN_ACCOUNT_CODES
    # Authentication, sender, greeting and connection answers: about us, not the recipient.
    # Connection trouble (refused, reset, timed out, TLS) are OSErrors.
    return isinstance(exc, smtplib.SMTPException | OSError)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of attempts: doubling from the base, capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


# ---------------------------------------------------------------- send-time checks
# Whether a message is still owed is domain knowledge this module does not have: a higher
# module registers a check for its kind of message (``notifications.reminders`` does, from
# ``NotificationsConfig.ready``). The check is given the messages of one batch about to be
# sent (so it can ask the database once for all of them) and returns the reason not to
# send for each message that should not go.
SendCheck = Callable[[list[Message]], dict[int, str]]
_send_checks: dict[str, SendCheck] = {}


def register_send_check(kind: str, check: SendCheck) -> None:
    _send_checks[kind] = check


def reasons_not_to_send(messages: list[Message]) -> dict[int, str]:
    """The reason not to send, by message id, for those of ``messages`` no longer owed."""
    reasons: dict[int, str] = {}
    for kind, check in _send_checks.items():
        of_kind = [message for message in messages if message.kind == kind]
        if of_kind:
            reasons.update(check(of_kind))
    return reasons


# ---------------------------------------------------------------- sending
def deliver(message_id: int) -> Message | None:
    """Send one message if it is due and not taken; record the outcome.

    Side effects: the message ends ``sent``, ``failed`` (a permanent refusal, or temporary
    failures for longer than OUTBOX_RETRY_HOURS) or back in ``queued`` with its next attempt
    set by ``retry_delay``; each attempt is added to its history. Returns None when the
    message was not ours to send.
    """
    handled = deliver_batch([message_id])
    return handled[0] if handled else None


def deliver_batch(message_ids: Sequence[int]) -> list[Message]:
    """Send the given messages over one SMTP connection; each exactly as ``deliver`` would.

    Each message is claimed just before it is sent and its outcome recorded just after, so
    a refusal fails or retries that message alone, a message taken by another worker is
    skipped, and a worker killed mid-batch leaves the rest queued for the next delivery of
    the task (late acknowledgement) or the sweep. Returns the messages handled here.

    What a killed worker can do: one message per worker process can be in the instant
    between the mail server accepting it and its ``sent`` commit. That message stays
    ``sending``; the sweep sends it again after ``STALE_CLAIM_AFTER`` (at least once, not at
    most once: SMTP has no way to ask whether it was received), with the same Message-ID, by
    which mail systems recognise the copy. Everything before it is recorded as sent and
    everything after it not yet claimed, so nothing else is sent twice or lost. (The
    messages' history entries are written together when the batch ends: a killed batch
    leaves its outcomes on the messages, not in their history.)
    """
    started = time.monotonic()
    messages = list(
        Message.objects.filter(_claimable(timezone.now()), pk__in=message_ids).order_by("pk")
    )
    reasons = reasons_not_to_send(messages)
    handled: list[Message] = []
    with _commits_without_waiting(), _SMTPConnection() as smtp, _history_of(handled):
        for position, message in enumerate(messages):
            if time.monotonic() - started > BATCH_TIME_BUDGET.total_seconds():
                _hand_back([message.pk for message in messages[position:]])
                break
            if not _claim_loaded(message):
                continue  # taken by another worker since it was read
            handled.append(message)
            if reason := reasons.get(message.pk):
                _record(message, MessageStatus.CANCELLED, outcome="cancelled", last_error=reason)
                continue
            try:
                smtp.send(build_email(message))
            except Exception as exc:
                _record_failure(message, exc)
                continue
            _record(
                message, MessageStatus.SENT, outcome="sent", sent_at=timezone.now(), last_error=""
            )
    skipped = len(message_ids) - len(handled)
    if skipped:
        logger.info("%s of %s messages were not due or already taken.", skipped, len(message_ids))
    return handled


@contextlib.contextmanager
def _history_of(messages: list[Message]):
    """Add the outcomes recorded on ``messages`` to their history in one write, at the end."""
    try:
        yield
    finally:
        Message.history.bulk_history_create(
            [message for message in messages if message.status != MessageStatus.SENDING],
            update=True,
        )


def _hand_back(message_ids: list[int]) -> None:
    """Send the rest of a batch that ran out of time to the broker as a task of its own."""
    now = timezone.now()
    Message.objects.filter(pk__in=message_ids, status=MessageStatus.QUEUED).update(
        dispatched_at=now, updated_at=now
    )
    _send_to_broker(message_ids)


class _SMTPConnection:
    """One connection to the mail server for a batch, opened at its first message.

    After a refusal smtplib resets the session and the next message uses it; a connection
    that broke (the server hung up, a time-out) is opened again for the next message. Once
    it cannot be opened, every later message of the batch fails with that same error,
    without waiting for the server again: each is retried on its own schedule.
    """

    def __init__(self):
        self.backend = None
        self.unreachable: Exception | None = None

    def __enter__(self) -> "_SMTPConnection":
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    def send(self, email: OutboxEmail) -> None:
        if self.unreachable is not None:
            raise self.unreachable
        if self.backend is None:
            backend = get_connection(fail_silently=False)
            try:
                backend.open()
            except Exception as exc:
                self.unreachable = exc
                with contextlib.suppress(Exception):
                    backend.close()
                raise
            self.backend = backend
        try:
            self.backend.send_messages([email])
        except Exception:
            if not self._still_answering():
                self._close()
            raise

    def _still_answering(self) -> bool:
        """Whether the session survived a failure: asked only after one, with a NOOP."""
        session = getattr(self.backend, "connection", None)
        if session is None:  # a backend without a session (console, file, memory)
            return True
        try:
            return session.noop()[0] == 250
        except (smtplib.SMTPException, OSError):
            return False

    def _close(self) -> None:
        if self.backend is not None:
            # Everything sent is recorded by now; a failing goodbye changes nothing.
            with contextlib.suppress(Exception):
                self.backend.close()
            self.backend = None


def _record_failure(message: Message, exc: Exception) -> None:
    now = timezone.now()
    error = f"{exc.__class__.__name__}: {exc}"
    retry_until = message.retry_until or now + timedelta(hours=settings.OUTBOX_RETRY_HOURS)
    if is_transient(exc) and now < retry_until:
        next_attempt_at = now + retry_delay(message.attempts)
        _record(
            message,
            MessageStatus.QUEUED,
            outcome="retry",
            last_error=error,
            next_attempt_at=next_attempt_at,
            retry_until=retry_until,
        )
        logger.info("Message %s: %s; trying again at %s.", message.pk, error, next_attempt_at)
        return
    _record(message, MessageStatus.FAILED, outcome="failed", last_error=error)
    logger.warning("Message %s failed after %s attempts: %s", message.pk, message.attempts, error)


def _record(message: Message, status: str, *, outcome: str, **fields) -> None:
    now = timezone.now()
    entry = {"at": now.isoformat(), "outcome": outcome, "error": fields.get("last_error", "")}
    fields["attempt_log"] = [*message.attempt_log, entry][-ATTEMPT_LOG_LENGTH:]
    if status != MessageStatus.QUEUED:
        fields["next_attempt_at"] = None
    message.status = status
    for name, value in fields.items():
        setattr(message, name, value)
    message.updated_at = message._history_date = now
    # One UPDATE, at once: the narrower the time between the mail server's acceptance and
    # this commit, the less a killed worker can send twice. The history follows in bulk.
    Message.objects.filter(pk=message.pk).update(status=status, updated_at=now, **fields)


def dispatch_due() -> int:
    """Beat sweep: hand to the broker every message whose attempt is due and not on its way.

    Takes queued messages whose next attempt has come and that were not dispatched since
    (a retry, or a dispatch the broker refused), those dispatched long ago that are still
    queued (a lost task), and claims of workers that died. Side effects: each goes back to
    ``queued`` with ``dispatched_at`` now, and its task is dispatched after commit; so two
    sweeps never dispatch one message twice, and the claim in ``deliver`` still guarantees one
    email each. Returns how many messages were dispatched.
    """
    now = timezone.now()
    due = Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now) & (
        Q(dispatched_at__isnull=True)
        | Q(dispatched_at__lt=F("next_attempt_at"))
        | Q(dispatched_at__lt=now - REDISPATCH_AFTER)
    )
    dead_claim = Q(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER)
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(due | dead_claim)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        chosen = Message.objects.filter(pk__in=ids)
        chosen.filter(status=MessageStatus.SENDING).update(
            status=MessageStatus.QUEUED, next_attempt_at=now
        )
        chosen.update(dispatched_at=now, updated_at=now)
        dispatch_many(ids)
    if ids:
        logger.info("Dispatched %s due messages.", len(ids))
    return len(ids)


# ---------------------------------------------------------------- many at once
def queue_many(
    messages: Iterable[dict],
    *,
    kind: str,
    meeting=None,
    attachments: Iterable[Attachment] = (),
    batch: str = "",
) -> tuple[list[Message], int]:
    """Record many emails in a few writes and send each after commit (a fan-out).

    ``messages`` are dicts of ``recipient``, ``subject``, ``body_text``, ``idempotency_key``
    and optionally ``body_html``, all sharing ``attachments``. A key already recorded makes
    no second email. The caller keeps two fan-outs of the same keys apart (a row lock):
    a key recorded in between fails the whole write, which then rolls back. With a
    ``batch`` the new messages are held for review and nothing is dispatched. Returns the
    new messages and how many keys were already there.
    """
    messages = list(messages)
    keys = [message["idempotency_key"] for message in messages]
    existing: set[str] = set()
    for start in range(0, len(keys), 1000):
        existing.update(
            Message.objects.filter(idempotency_key__in=keys[start : start + 1000]).values_list(
                "idempotency_key", flat=True
            )
        )
    stored = [attachment.as_json() for attachment in attachments]
    now, domain, reply_to = timezone.now(), site_domain(), meeting_reply_to(meeting)
    rows = [
        Message(
            recipient=message["recipient"],
            subject=" ".join(message["subject"].split())[:300],
            body_text=message["body_text"],
            body_html=message.get("body_html", ""),
            idempotency_key=message["idempotency_key"],
            kind=kind,
            meeting=meeting,
            attachments=stored,
            message_id=make_msgid(domain=domain),
            reply_to=reply_to,
            next_attempt_at=None if batch else now,
            dispatched_at=None if batch else now,
            status=MessageStatus.HELD if batch else MessageStatus.QUEUED,
            batch=batch,
        )
        for message in messages
        if message["idempotency_key"] not in existing
    ]
    with transaction.atomic():
        created = Message.objects.bulk_create(rows, batch_size=500)
        if not batch:
            dispatch_many([message.pk for message in created])
    return created, len(messages) - len(rows)


ERASED = "[deleted]"


def forget_recipient(*, recipient: str, meeting, replacement: str) -> int:
    """Erase a person from the outbox of one meeting: what was not sent is not sent.

    Side effects: that meeting's messages to ``recipient`` that are still queued are
    cancelled; every one of them then has its address replaced by ``replacement`` and its
    subject, bodies and attachments erased, in the messages and in their history. The row,
    its kind, status and times stay, so the outbox still counts what went out. Returns how
    many messages were erased.
    """
    messages = Message.objects.filter(meeting=meeting, recipient__iexact=recipient)
    ids = list(messages.values_list("pk", flat=True))
    now = timezone.now()
    Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.CANCELLED, next_attempt_at=None
    )
    Message.objects.filter(pk__in=ids).update(
        recipient=replacement,
        subject=ERASED,
        body_text=ERASED,
        body_html="",
        attachments=[],
        updated_at=now,
    )
    Message.history.filter(id__in=ids).update(recipient=replacement, subject=ERASED)
    return len(ids)
