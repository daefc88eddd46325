"""Celery tasks of the outbox: ids in, hand off to ``notifications.outbox``."""

from celery import shared_task

from . import outbox, reminders


@shared_task(name=outbox.SEND_TASK, acks_late=True)
def send_message(message_id: int) -> None:
    """Send one outbox message. A failure is recorded on the message, never raised into a
    Celery retry: the beat sweep dispatches the message again when its next attempt is due."""
    outbox.deliver(message_id)


@shared_task(name=outbox.SEND_BATCH_TASK, acks_late=True)
def send_messages(message_ids: list[int]) -> None:
    """Send many outbox messages over one SMTP connection, each recorded on its own (a
    fan-out's share); failures are recorded and swept like ``send_message``'s."""
    outbox.deliver_batch(message_ids)


@shared_task(name="notifications.dispatch_due_messages")
def dispatch_due_messages() -> int:
    """Beat task: dispatch the messages whose attempt is due (retries, lost tasks)."""
    return outbox.dispatch_due()


@shared_task(name="notifications.dispatch_reminders")
def dispatch_reminders() -> int:
    """Beat task: fan out the reminder offsets that have come due; how many fired."""
    return len(reminders.dispatch_due().fired)
