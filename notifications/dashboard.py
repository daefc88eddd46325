"""The outbox's panel on a meeting's organiser dashboard: what waits, what is on its way,
what failed. Numbers link to the back office's outbox filtered to the meeting and status."""

from django.db.models import Count, Q

from agenda.models import Meeting
from participants.dashboard.menu import outbox_url
from participants.dashboard.panels import Attention, Bar, BarChart, Panel, Row

from .models import Message, MessageStatus

# What the panel counts, in the order mail moves; cancelled mail needs no attention.
SHOWN = (MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.FAILED, MessageStatus.SENT)


def outbox_panel(meeting: Meeting) -> Panel:
    """The meeting's mail by status (one query); failed mail goes on the attention list."""
    counts = Message.objects.filter(meeting=meeting).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in SHOWN}
    )
    labels = dict(MessageStatus.choices)
    failed = counts[MessageStatus.FAILED]
    return Panel(
        title="Outbox",
        slug="outbox",
        intro="Every email the meeting sends waits here first; failed mail can be resent.",
        rows=[
            Row(str(labels[status]), counts[status], outbox_url(meeting, status))
            for status in SHOWN
        ],
        charts=[BarChart("Emails by status", [Bar(str(labels[s]), counts[s]) for s in SHOWN])],
        attention=(
            [Attention("Emails that failed", outbox_url(meeting, MessageStatus.FAILED), failed)]
            if failed
            else []
        ),
        link=Row("All the meeting's mail", url=outbox_url(meeting)),
    )
