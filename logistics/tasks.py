"""Celery tasks of logistics: thin, ids in, hand off to ``logistics.services``."""

from celery import shared_task

from . import services


@shared_task(name="logistics.issue_letter_batch", acks_late=True)
def issue_letter_batch(batch_id: int) -> int:
    """Issue a batch of letters; safe to run twice (letters in force are skipped)."""
    return services.run_batch(batch_id=batch_id).issued
