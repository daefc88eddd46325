"""The notifications' panels on a meeting's organiser dashboard.

- Reminders: before each deadline ahead, every rule's sends with their local times and
  states, and how many people each rule would reach now; each number opens the rule's page,
  which names them. Three queries whatever the number of rules or participants.
- Outbox: what waits, what is on its way, what failed. Numbers link to the outbox filtered
  to the meeting and status.
"""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from agenda.models import Meeting
from participants.dashboard.menu import outbox_url
from participants.dashboard.panels import (
    Attention,
    Bar,
    BarChart,
    Cell,
    Panel,
    Row,
    Table,
    relative_to,
)

from . import forecast, reminders
from .forecast import PlannedSend, SendState
from .models import Message, MessageStatus, ReminderRule

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


def rule_url(rule: ReminderRule) -> str:
    """The rule's page, at the list of exactly who it goes to next."""
    url = reverse("reminders:rule", kwargs={"slug": rule.deadline.meeting.slug, "pk": rule.pk})
    return f"{url}#next-heading"


def _short(meeting: Meeting, moment: dt.datetime) -> str:
    local = meeting.local(moment)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def _state(send: PlannedSend) -> str:
    firing = send.firing
    return {
        SendState.SCHEDULED: "Will send",
        SendState.NEXT_RUN: "Due: sends within minutes",
        SendState.SENT: f"Sent to {firing.recipients if firing else 0}",
        SendState.SKIPPED: "Skipped: a later reminder went instead",
        SendState.PAUSED: "Paused: the rule is switched off",
        SendState.NEVER: "Not sent: timed before the rule was made",
    }[send.state]


def reminders_panel(meeting: Meeting) -> Panel | None:
    """Each deadline ahead with the reminders that will fire before it, and to how many.

    A rule's number is its audience now (who still owes); the rule's page lists them.
    Reminders of a paused rule are shown as paused, those already sent with how many
    they went to. Rules switched off while people owe go on the attention list.
    """
    if not meeting.deadlines.all():
        return None
    now = timezone.now()
    ahead = forecast.upcoming(meeting, now=now)
    tables = []
    attention = []
    for item in ahead:
        deadline = item.deadline
        rows = []
        for planned in item.rules:
            rule, url = planned.rule, rule_url(planned.rule)
            for send in planned.sends:
                if send.state in forecast.TO_COME:
                    people = Cell(planned.audience, url, "owe now")
                elif send.state == SendState.PAUSED:
                    people = Cell(planned.audience, url, "owe now, if switched on")
                else:
                    people = Cell(text="-")
                rows.append(
                    (
                        f"{rule.name}: {send.offset.label}",
                        [Cell(text=_short(meeting, send.at)), Cell(text=_state(send)), people],
                    )
                )
            if not rule.is_active and planned.audience:
                attention.append(
                    Attention(
                        f"Reminder rule '{rule.name}' switched off while people owe "
                        f"({deadline.get_kind_display().lower()})",
                        url,
                        planned.audience,
                    )
                )
        if not rows:
            rows.append(
                ("No reminder rule", [Cell(text="-"), Cell(text="Nothing is sent"), Cell(text="-")])
            )
        tables.append(
            Table(
                caption=(
                    f"{deadline.get_kind_display()}: due "
                    f"{reminders.format_moment(meeting, deadline.due_at)} "
                    f"({relative_to(deadline.due_at, now)})"
                ),
                columns=[f"Sends ({meeting.zone_label()})", "State", "Would go to"],
                rows=rows,
                row_header="Reminder",
                stack=True,
            )
        )
    return Panel(
        title="Reminders before the deadlines",
        slug="reminders",
        intro=(
            "Before each deadline ahead: every reminder still to go, when, and to how many "
            "people if it went now (those who still owe; each number opens the rule's page "
            "with their names)."
            if ahead
            else "No deadline ahead: no reminder will be sent."
        ),
        tables=tables,
        attention=attention,
        link=Row(
            "All reminder rules", url=reverse("reminders:list", kwargs={"slug": meeting.slug})
        ),
    )
