"""Reads for the organisers' reminder pages: a meeting's rules and their firings."""

from django.db.models import QuerySet

from agenda import audit
from agenda.models import Deadline, Meeting

from .models import ReminderRule


def rules_of(meeting: Meeting) -> QuerySet[ReminderRule]:
    return (
        ReminderRule.objects.filter(deadline__meeting=meeting)
        .select_related("deadline__meeting")
        .order_by("deadline__due_at", "name", "pk")
    )


def rule_of(meeting: Meeting, rule_id: int) -> ReminderRule:
    return rules_of(meeting).get(pk=rule_id)


def deadlines_of(meeting: Meeting) -> QuerySet[Deadline]:
    return Deadline.objects.filter(meeting=meeting).select_related("meeting").order_by("due_at")


def rule_history(rule: ReminderRule) -> list[audit.Entry]:
    """Who changed the rule, when, from what to what (one query)."""
    return audit.entries(ReminderRule.history.filter(id=rule.pk))
