"""Personal data that leaves on time: passports, birth dates and emergency contacts deleted
a set number of days after the meeting ends (``Meeting.personal_data_retention_days``).

The beat task ``participants.apply_retention`` runs ``apply_retention`` daily; the meeting's
organisers are emailed a week before the deletion, once.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agenda.models import Meeting
from notifications import outbox

from ..models import Registration

NOTICE_BEFORE = dt.timedelta(days=7)
# Other apps' personal data of a meeting deleted on the same day (say, logistics' visa
# letters, which print passport numbers): ``fn(meeting)`` deletes it and returns a count.
_purges: list[Callable[[Meeting], int]] = []


def register_personal_data_purge(fn: Callable[[Meeting], int]) -> None:
    """Run ``fn(meeting)`` whenever a meeting's personal data is deleted (from ``ready()``)."""
    if fn not in _purges:
        _purges.append(fn)


def deletion_date(meeting: Meeting) -> dt.date:
    """The day (in the meeting's zone) when the meeting's personal data is deleted."""
    return meeting.ends_on + dt.timedelta(days=meeting.personal_data_retention_days)


def _holding(meeting: Meeting):
    return Registration.objects.filter(
        participant__meeting=meeting, personal_data_deleted_at__isnull=True
    )


def delete_personal_data(*, meeting: Meeting, now: dt.datetime | None = None) -> int:
    """Delete the passport numbers, dates of birth and emergency contacts of ``meeting``.

    Side effects: every registration of the meeting that still holds them has them blanked
    and ``personal_data_deleted_at`` set (the rest of the registration stays: needs,
    consents, the name in the passport for the record of who attended), and every function
    registered with ``register_personal_data_purge`` runs. The history never held them.
    Returns how many registrations; a second run finds none.
    """
    deleted = _holding(meeting).update(
        passport_number="",
        date_of_birth=None,
        emergency_contact_name="",
        emergency_contact_phone="",
        personal_data_deleted_at=now or timezone.now(),
    )
    for purge in _purges:
        purge(meeting)
    return deleted


def notify_organisers(*, meeting: Meeting, deletion_on: dt.date) -> int:
    """Tell each organiser of ``meeting`` when its personal data will be deleted.

    Side effects: one email per organiser through the outbox, keyed by meeting, date and
    organiser, so running it every day of the week before sends each one once. Returns the
    number of organisers written to.
    """
    count = _holding(meeting).count()
    organisers = list(meeting.organisers.exclude(email=""))
    for organiser in organisers:
        outbox.queue_templated(
            template="participants/email/retention_notice",
            context={
                "meeting": meeting,
                "organiser": organiser,
                "deletion_on": deletion_on,
                "count": count,
                "site_url": settings.SITE_URL,
            },
            recipient=organiser.email,
            idempotency_key=(
                f"participants.retention-notice:{meeting.pk}:{deletion_on.isoformat()}:"
                f"{organiser.pk}"
            ),
            kind="participants.retention_notice",
            meeting=meeting,
        )
    return len(organisers)


@dataclass
class RetentionResult:
    notified: list[Meeting] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)


def apply_retention(*, now: dt.datetime | None = None) -> RetentionResult:
    """The daily run: warn the organisers of meetings whose deletion is a week or less away,
    and delete what is due (see ``notify_organisers`` and ``delete_personal_data``).

    Only meetings with a registration still holding personal data are looked at.
    """
    now = now or timezone.now()
    result = RetentionResult()
    meetings = Meeting.objects.filter(
        pk__in=Registration.objects.filter(personal_data_deleted_at__isnull=True).values(
            "participant__meeting"
        )
    ).order_by("pk")
    for meeting in meetings:
        today = timezone.localdate(now, meeting.zone)
        deletion_on = deletion_date(meeting)
        with transaction.atomic():
            if today >= deletion_on:
                result.deleted[meeting.slug] = delete_personal_data(meeting=meeting, now=now)
            elif today >= deletion_on - NOTICE_BEFORE:
                notify_organisers(meeting=meeting, deletion_on=deletion_on)
                result.notified.append(meeting)
    return result
