"""Celery tasks of the participants app: thin, ids in, hand off to services."""

from celery import shared_task

from .programme import services as programme_services


# The name predates the move from agenda: beat's schedule and queued tasks use it.
@shared_task(name="agenda.notify_agenda_changes")
def notify_agenda_changes(meeting_id: int | None = None) -> int:
    """Mail pending programme changes: one meeting, or every meeting with changes (beat)."""
    if meeting_id is None:
        return programme_services.notify_all_agenda_changes()
    return programme_services.notify_agenda_changes(meeting_id=meeting_id)
