"""Celery tasks of the agenda: thin, ids in, hand off to ``agenda.services``."""

from celery import shared_task

from . import services


@shared_task(name="agenda.notify_agenda_changes")
def notify_agenda_changes(meeting_id: int | None = None) -> int:
    """Mail pending programme changes: one meeting, or every meeting with changes (beat)."""
    if meeting_id is None:
        return services.notify_all_agenda_changes()
    return services.notify_agenda_changes(meeting_id=meeting_id)
