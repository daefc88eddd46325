"""Celery tasks of the participants app: thin, ids in, hand off to services."""

from celery import shared_task

from .privacy import retention
from .programme import services as programme_services


# The name predates the move from agenda: beat's schedule and queued tasks use it.
@shared_task(name="agenda.notify_agenda_changes")
def notify_agenda_changes(meeting_id: int | None = None) -> int:
    """Mail pending programme changes: one meeting, or every meeting with changes (beat)."""
    if meeting_id is None:
        return programme_services.notify_all_agenda_changes()
    return programme_services.notify_agenda_changes(meeting_id=meeting_id)


@shared_task(name="participants.apply_retention")
def apply_retention() -> dict:
    """Daily (beat): warn organisers a week ahead, then delete personal data that is due."""
    result = retention.apply_retention()
    return {"notified": [meeting.slug for meeting in result.notified], "deleted": result.deleted}
