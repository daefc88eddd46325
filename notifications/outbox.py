"""Queue an email and send it: the only way mail leaves the system.

``queue`` writes a ``Message`` (once per idempotency key) and dispatches the sending task
after the surrounding transaction commits. ``deliver`` is what the task runs: it claims
the row with a conditional update, so two workers can never send the same message.
Knows no domain app.
"""

import base64
import logging
import smtplib
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Message, MessageStatus

logger = logging.getLogger(__name__)

# A claim older than this is a worker that died mid-send; the message may be retried.
STALE_CLAIM_AFTER = timedelta(minutes=15)
# Retry delays stay below the stale threshold, so a message waiting for its retry is never
# taken for a lost one (and below Redis's one-hour visibility timeout).
RETRY_DELAY_CAP = timedelta(minutes=10)


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


class TransientSendError(Exception):
    """The mail server could not take the message now; trying again later may work."""


class PermanentSendError(Exception):
    """The mail server refused the message for good."""


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
) -> Message:
    """Record an email and send it after commit; the same key never makes a second email."""
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
        },
    )
    if created:
        dispatch(message)
    return message


def queue_templated(
    *,
    template: str,
    context: dict,
    recipient: str,
    idempotency_key: str,
    kind: str,
    meeting=None,
    attachments: Iterable[Attachment] = (),
) -> Message:
    """Render ``<template>_subject.txt``, ``_message.txt`` and ``_message.html``, then queue.

    ``template`` is a path prefix such as ``participants/email/invitation``.
    """
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body_text = render_to_string(f"{template}_message.txt", context)
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
    )


def dispatch(message: Message) -> None:
    """Enqueue the sending task once the surrounding transaction commits."""
    from .tasks import send_message

    send_message.delay_on_commit(message.pk)


def cancel(message: Message) -> bool:
    """Stop a message that has not gone yet. Returns whether it was cancelled."""
    return bool(
        Message.objects.filter(pk=message.pk, status=MessageStatus.QUEUED).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now()
        )
    )


def claim(message_id: int) -> Message | None:
    """Mark the message as being sent, if nobody else has; None when it is not ours to send.

    A single conditional UPDATE is atomic on every database, so of two workers racing
    for one message exactly one sees a row count of 1.
    """
    now = timezone.now()
    claimable = Message.objects.filter(
        Q(status=MessageStatus.QUEUED)
        | Q(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER),
        pk=message_id,
    )
    claimed = claimable.update(
        status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return None
    return Message.objects.get(pk=message_id)


def build_email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"X-EGM-Message-Id": str(message.pk)},
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


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    # Connection trouble (refused, reset, timed out) is worth another try; smtplib's own
    # errors are OSErrors too, so the SMTP answers above are looked at first.
    return isinstance(exc, smtplib.SMTPServerDisconnected | socket.timeout | OSError)


def retry_delay(retries: int) -> int:
    """Seconds to wait before the next attempt: doubling from the base, capped."""
    delay = settings.OUTBOX_RETRY_BASE_SECONDS * 2**retries
    return int(min(delay, RETRY_DELAY_CAP.total_seconds()))


# ---------------------------------------------------------------- send-time checks
# Whether a message is still owed is domain knowledge this module does not have: a higher
# module registers a check for its kind of message (``notifications.reminders`` does, from
# ``NotificationsConfig.ready``). The check returns the reason not to send, or "" to send.
SendCheck = Callable[[Message], str]
_send_checks: dict[str, SendCheck] = {}


def register_send_check(kind: str, check: SendCheck) -> None:
    _send_checks[kind] = check


def reason_not_to_send(message: Message) -> str:
    check = _send_checks.get(message.kind)
    return check(message) if check is not None else ""


def deliver(message_id: int, *, final_attempt: bool) -> Message | None:
    """Send one claimed message; record the outcome.

    Raises ``TransientSendError`` when the server may take it later and attempts remain
    (the message goes back to ``queued``); otherwise the message ends ``sent`` or ``failed``.
    """
    message = claim(message_id)
    if message is None:
        logger.info("Message %s is not queued; nothing to send.", message_id)
        return None
    reason = reason_not_to_send(message)
    if reason:
        _set_status(message, MessageStatus.CANCELLED, last_error=reason)
        return message
    try:
        build_email(message).send(fail_silently=False)
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"
        transient = _is_transient(exc)
        last = final_attempt or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        if transient and not last:
            _set_status(message, MessageStatus.QUEUED, last_error=error)
            raise TransientSendError(error) from exc
        _set_status(message, MessageStatus.FAILED, last_error=error)
        logger.warning("Message %s failed after %s attempts.", message.pk, message.attempts)
        return message
    _set_status(message, MessageStatus.SENT, last_error="", sent_at=timezone.now())
    return message


def _set_status(message: Message, status: str, **fields) -> None:
    message.status = status
    for name, value in fields.items():
        setattr(message, name, value)
    message.updated_at = timezone.now()
    message.save(update_fields=["status", "updated_at", *fields])


def requeue_stale() -> int:
    """Dispatch again what a lost task left behind: queued rows nobody picked up, dead claims.

    The rows go back to ``queued`` with a fresh timestamp, so the next run does not send
    their tasks a second time; the claim in ``deliver`` still guarantees one email each.
    Returns how many messages were dispatched.
    """
    now = timezone.now()
    cutoff = now - STALE_CLAIM_AFTER
    with transaction.atomic():
        stale = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=MessageStatus.QUEUED, updated_at__lt=cutoff)
                | Q(status=MessageStatus.SENDING, claimed_at__lt=cutoff)
            )
            .only("pk")
        )
        Message.objects.filter(pk__in=[message.pk for message in stale]).update(
            status=MessageStatus.QUEUED, updated_at=now
        )
        for message in stale:
            dispatch(message)
    if stale:
        logger.info("Dispatched %s stale messages again.", len(stale))
    return len(stale)


# ---------------------------------------------------------------- many at once
def queue_many(
    messages: Iterable[dict],
    *,
    kind: str,
    meeting=None,
    attachments: Iterable[Attachment] = (),
) -> tuple[list[Message], int]:
    """Record many emails in a few writes and send each after commit (a fan-out).

    ``messages`` are dicts of ``recipient``, ``subject``, ``body_text``, ``idempotency_key``
    and optionally ``body_html``, all sharing ``attachments``. A key already recorded makes
    no second email. The caller keeps two fan-outs of the same keys apart (a row lock):
    a key recorded in between fails the whole write, which then rolls back. Returns the new
    messages and how many keys were already there.
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
        )
        for message in messages
        if message["idempotency_key"] not in existing
    ]
    with transaction.atomic():
        created = Message.objects.bulk_create(rows, batch_size=500)
        for message in created:
            dispatch(message)
    return created, len(messages) - len(rows)
