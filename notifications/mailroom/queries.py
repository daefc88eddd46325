"""Reads for the outbox page: one meeting's messages, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet

from agenda import audit
from agenda.models import Meeting

from ..models import Message, MessageStatus

# The page lists the newest of each kind; the admin has the rest.
LIST_LIMIT = 200
# What a list row needs: never the attachments, which may be large.
ROW_FIELDS = (
    "pk",
    "recipient",
    "subject",
    "body_text",
    "kind",
    "status",
    "batch",
    "attempts",
    "last_error",
    "created_at",
    "next_attempt_at",
    "sent_at",
    "updated_at",
)


def messages_of(meeting: Meeting) -> QuerySet[Message]:
    return Message.objects.filter(meeting=meeting).only(*ROW_FIELDS)


def counts_by_status(meeting: Meeting) -> list[tuple[str, int]]:
    """Every status with its count, zeros included, in the order of ``MessageStatus``."""
    counts = dict(
        Message.objects.filter(meeting=meeting)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(status.label, counts.get(status.value, 0)) for status in MessageStatus]


def queue(meeting: Meeting) -> list[Message]:
    """Messages waiting to go or on their way, soonest first."""
    return list(
        messages_of(meeting)
        .filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING])
        .order_by("next_attempt_at", "pk")[:LIST_LIMIT]
    )


def failures(meeting: Meeting) -> list[Message]:
    return list(
        messages_of(meeting)
        .filter(status=MessageStatus.FAILED)
        .order_by("-updated_at", "-pk")[:LIST_LIMIT]
    )


@dataclass(frozen=True)
class HeldBatch:
    batch: str
    kind: str
    messages: int
    held_since: object


def held_batches(meeting: Meeting) -> list[HeldBatch]:
    rows = (
        Message.objects.filter(meeting=meeting, status=MessageStatus.HELD)
        .values("batch", "kind")
        .annotate(n=Count("pk"), since=Min("created_at"))
        .order_by("since", "batch")
    )
    return [HeldBatch(row["batch"], row["kind"], row["n"], row["since"]) for row in rows]


def held_batch(meeting: Meeting, batch: str) -> list[Message]:
    return list(
        Message.objects.filter(meeting=meeting, batch=batch, status=MessageStatus.HELD).order_by(
            "recipient", "pk"
        )
    )


def history(meeting: Meeting, email: str) -> list[Message]:
    """Everything the meeting has mailed (or means to mail) to one address, newest first."""
    return list(
        messages_of(meeting)
        .filter(recipient__iexact=email)
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )


def recipients(meeting: Meeting) -> list[dict]:
    """Each address the meeting has mailed, with how many messages and the latest."""
    return list(
        Message.objects.filter(meeting=meeting)
        .values("recipient")
        .annotate(n=Count("pk"), latest=Max("created_at"))
        .order_by("recipient")[:LIST_LIMIT]
    )


def message_of(meeting: Meeting, message_id: int) -> Message:
    """One of the meeting's messages; raises ``Message.DoesNotExist`` for another's."""
    return Message.objects.get(meeting=meeting, pk=message_id)


def message_history(message: Message) -> list[audit.Entry]:
    """Who cancelled or resent the message and each change of its status (one query).

    Its bodies and attachments are never in the history (``Message.history``)."""
    return audit.entries(Message.history.filter(id=message.pk))
