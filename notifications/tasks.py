"""Celery tasks of the outbox: ids in, hand off to ``notifications.outbox``."""

from celery import shared_task
from django.conf import settings

from . import outbox, reminders


@shared_task(name="notifications.send_message", bind=True, acks_late=True, max_retries=None)
def send_message(self, message_id: int) -> None:
    """Send one outbox message; retried with backoff while the server says "try later"."""
    max_attempts = settings.OUTBOX_MAX_ATTEMPTS
    try:
        outbox.deliver(message_id, final_attempt=self.request.retries + 1 >= max_attempts)
    except outbox.TransientSendError as exc:
        raise self.retry(exc=exc, countdown=outbox.retry_delay(self.request.retries)) from exc


@shared_task(name="notifications.requeue_stale_messages")
def requeue_stale_messages() -> int:
    """Beat task: dispatch again the messages whose task was lost."""
    return outbox.requeue_stale()


@shared_task(name="notifications.dispatch_reminders")
def dispatch_reminders() -> int:
    """Beat task: fan out the reminder offsets that have come due; how many fired."""
    return len(reminders.dispatch_due().fired)
