"""What the reminder rules of a meeting will still send: each offset's state before its
deadline, and how many people each rule would reach now.

A read for the organiser dashboard, which must not grow with the meeting: the rules, their
firings and every rule's audience count are read in three queries, whatever the number of
rules or participants. The states follow ``reminders.dispatch_due``: an offset already
fired (or skipped) is done; of the offsets come due and not fired, the latest goes at the
next run and the earlier ones are skipped; offsets timed before the rule was made never go;
a rule switched off sends nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q

from agenda.models import Deadline, Meeting
from participants.models import Participant

from . import reminders
from .models import ReminderFiring, ReminderFiringStatus, ReminderRule


class SendState:
    SCHEDULED = "scheduled"
    NEXT_RUN = "next_run"  # due already, goes at the beat task's next run
    SENT = "sent"
    SKIPPED = "skipped"  # missed, or due already behind a later offset that goes instead
    PAUSED = "paused"  # the rule is switched off
    NEVER = "never"  # timed before the rule was made


# States in which the offset will still send, to the rule's audience of that moment.
TO_COME = frozenset({SendState.SCHEDULED, SendState.NEXT_RUN})


@dataclass(frozen=True)
class PlannedSend:
    offset: reminders.Offset
    at: dt.datetime
    state: str
    # The firing that recorded it (sent or skipped), else None.
    firing: ReminderFiring | None = None


@dataclass(frozen=True)
class RuleForecast:
    rule: ReminderRule
    sends: list[PlannedSend]
    # How many people the rule's audience holds now: who it would go to if sent now.
    audience: int


@dataclass(frozen=True)
class DeadlineForecast:
    deadline: Deadline
    rules: list[RuleForecast]


def planned_sends(
    rule: ReminderRule, *, now: dt.datetime, firings: dict[str, ReminderFiring]
) -> list[PlannedSend]:
    """Each offset of the rule with its send time and state, earliest first.

    ``firings`` are the rule's firings for its deadline's current time, by offset key.
    """
    pending = reminders.pending_offsets(rule, now=now, fired=firings)
    goes_next = pending[-1][0].key if pending else None
    sends = []
    for offset, at in reminders.schedule(rule):
        firing = firings.get(offset.key)
        if firing is not None:
            state = (
                SendState.SENT if firing.status == ReminderFiringStatus.SENT else SendState.SKIPPED
            )
        elif at < rule.created_at:
            state = SendState.NEVER
        elif not rule.is_active:
            state = SendState.PAUSED
        elif at <= now:
            state = SendState.NEXT_RUN if offset.key == goes_next else SendState.SKIPPED
        else:
            state = SendState.SCHEDULED
        sends.append(PlannedSend(offset, at, state, firing))
    return sends


def audience_counts(rules: list[ReminderRule], *, now: dt.datetime) -> dict[int, int]:
    """Each rule's audience count as of ``now``, in one query for all the rules."""
    if not rules:
        return {}
    meeting_ids = {rule.deadline.meeting_id for rule in rules}
    counts = Participant.objects.filter(meeting_id__in=meeting_ids).aggregate(
        **{
            f"rule_{rule.pk}": Count(
                "pk", filter=Q(pk__in=reminders.audience(rule, now=now).values("pk"))
            )
            for rule in rules
        }
    )
    return {rule.pk: counts[f"rule_{rule.pk}"] for rule in rules}


def upcoming(meeting: Meeting, *, now: dt.datetime) -> list[DeadlineForecast]:
    """The meeting's deadlines still ahead, soonest first, each with its rules' sends.

    Reads the deadlines from ``meeting.deadlines`` (prefetched by the dashboard), then three
    queries: the rules, their firings, and every rule's audience count.
    """
    deadlines = sorted(
        (deadline for deadline in meeting.deadlines.all() if deadline.due_at > now),
        key=lambda deadline: deadline.due_at,
    )
    if not deadlines:
        return []
    by_id = {deadline.pk: deadline for deadline in deadlines}
    rules = list(ReminderRule.objects.filter(deadline__in=deadlines).order_by("name", "pk"))
    for rule in rules:
        rule.deadline = by_id[rule.deadline_id]
        rule.deadline.meeting = meeting
    firings: dict[int, dict[str, ReminderFiring]] = {rule.pk: {} for rule in rules}
    # Only the firings for each deadline's current time (a moved deadline starts afresh).
    current = ReminderFiring.objects.filter(
        rule__in=rules, deadline_due_at=F("rule__deadline__due_at")
    )
    for firing in current:
        firings[firing.rule_id][firing.offset] = firing
    counts = audience_counts(rules, now=now)
    return [
        DeadlineForecast(
            deadline,
            [
                RuleForecast(
                    rule,
                    planned_sends(rule, now=now, firings=firings[rule.pk]),
                    counts[rule.pk],
                )
                for rule in rules
                if rule.deadline_id == deadline.pk
            ],
        )
        for deadline in deadlines
    ]
