"""The demo meeting's reminders: the paper deadline's rule and what it has sent so far, and a
travel details rule switched off.

The rule has the paper deadline's default offsets. Offsets already past when the demo is
loaded are written as sent, to the people who owed a paper at that moment (the demo's
papers carry their upload times), so the organiser pages show reminders that went and
reminders still to come. No mail leaves: those messages are recorded as sent. One more
fan-out waits in the outbox as a batch held for review.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from agenda.models import Deadline, DeadlineKind, Meeting

from . import outbox, reminders
from .models import (
    Message,
    MessageStatus,
    ReminderAudience,
    ReminderFiring,
    ReminderFiringStatus,
    ReminderRule,
)

RULE_NAME = "Expert paper reminders"
# The rule was made when the invitations had gone: 1 October 2009, 09:00 in Accra.
RULE_MADE_DAYS_BEFORE_DEADLINE = 35


@transaction.atomic
def load_demo_reminders(*, meeting: Meeting, now: dt.datetime | None = None) -> ReminderRule:
    """Create (or keep) the paper reminder rule and record the offsets already past.

    Side effects: one ``ReminderRule``; for each offset before ``now``, a ``ReminderFiring``
    and one ``Message`` per person then owed, status sent. Running it again changes nothing.
    """
    now = now or timezone.now()
    deadline = Deadline.objects.select_related("meeting").get(
        meeting=meeting, kind=DeadlineKind.PAPER
    )
    made_day = meeting.local(deadline.due_at).date() - dt.timedelta(
        days=RULE_MADE_DAYS_BEFORE_DEADLINE
    )
    subject, body = reminders.default_templates(ReminderAudience.PAPER_MISSING)
    made_at = dt.datetime.combine(made_day, dt.time(9, 0), tzinfo=meeting.zone)
    rule, _ = ReminderRule.objects.get_or_create(
        deadline=deadline,
        name=RULE_NAME,
        defaults={
            "audience": ReminderAudience.PAPER_MISSING,
            "offsets": reminders.PAPER_DEFAULT_OFFSETS,
            "subject_template": subject,
            "body_template": body,
            "created_at": made_at,
        },
    )
    if rule.created_at != made_at:  # the demo was moved to other dates
        rule.created_at = made_at
        rule.save(update_fields=["created_at", "updated_at"])
    compiled = reminders.compile_templates(rule)
    for offset, at in reminders.schedule(rule):
        if at > now or at >= deadline.due_at or at < rule.created_at:
            continue
        firing, created = ReminderFiring.objects.get_or_create(
            rule=rule,
            offset=offset.key,
            deadline_due_at=deadline.due_at,
            defaults={
                "due_at": at,
                "fired_at": at,
                "status": ReminderFiringStatus.SENT,
                "note": "Demo history: recorded as sent, no mail left.",
            },
        )
        if not created:
            continue
        people = list(reminders.audience(rule, now=at))
        ics = reminders.calendar_file(deadline, now=at)
        for person in people:
            message = reminders.render(rule, person, now=at, compiled=compiled)
            Message.objects.get_or_create(
                idempotency_key=reminders.idempotency_key(rule, offset.key, person.pk),
                defaults={
                    "meeting": meeting,
                    "recipient": person.email,
                    "subject": message.subject,
                    "body_text": message.body,
                    "kind": reminders.KIND,
                    "status": MessageStatus.SENT,
                    "sent_at": at,
                    "attachments": [
                        outbox.Attachment("deadline.ics", ics, "text/calendar").as_json()
                    ],
                },
            )
        firing.recipients = len(people)
        firing.save(update_fields=["recipients"])
    load_demo_held_batch(rule=rule, now=now)
    load_demo_paused_rule(meeting=meeting, made_at=made_at)
    return rule


PAUSED_RULE_NAME = "Travel details reminders"


def load_demo_paused_rule(*, meeting: Meeting, made_at: dt.datetime) -> ReminderRule | None:
    """A rule for the travel details deadline, switched off: the organiser pages show a
    paused rule beside the paper rule that sends. Side effects: one ``ReminderRule``."""
    deadline = Deadline.objects.filter(meeting=meeting, kind=DeadlineKind.TRAVEL_DETAILS).first()
    if deadline is None:
        return None
    subject, body = reminders.default_templates(ReminderAudience.NO_TRAVEL_DETAILS)
    rule, _ = ReminderRule.objects.get_or_create(
        deadline=deadline,
        name=PAUSED_RULE_NAME,
        defaults={
            "audience": ReminderAudience.NO_TRAVEL_DETAILS,
            "offsets": [{"days": 7, "time": "09:00"}, {"days": 2, "time": "09:00"}],
            "subject_template": subject,
            "body_template": body,
            "is_active": False,
            "created_at": made_at,
        },
    )
    if rule.created_at != made_at:  # the demo was moved to other dates
        rule.created_at = made_at
        rule.save(update_fields=["created_at", "updated_at"])
    return rule


# The demo's one batch held for review: a hand-chasing of the experts who owe a paper.
HELD_BATCH = "demo-paper-chase"


def load_demo_held_batch(*, rule: ReminderRule, now: dt.datetime) -> int:
    """Hold the rule's message to everyone who owes a paper, as one batch awaiting review.

    Written as held (the meeting holds mail to more than ``hold_bulk_mail_over`` people),
    dated the day before the deadline when the demo is in the past. Released, each message
    still passes the reminders' send-time check. Side effects: one held ``Message`` per
    person owed; none when a message of the batch already exists. Returns how many.
    """
    meeting = rule.deadline.meeting
    if Message.objects.filter(meeting=meeting, batch=HELD_BATCH).exists():
        return 0
    at = min(now, rule.deadline.due_at - dt.timedelta(days=1))
    compiled = reminders.compile_templates(rule)
    ics = outbox.Attachment(
        "deadline.ics", reminders.calendar_file(rule.deadline, now=at), "text/calendar"
    )
    people = list(reminders.audience(rule, now=at))
    for person in people:
        message = reminders.render(rule, person, now=at, compiled=compiled)
        Message.objects.create(
            idempotency_key=reminders.idempotency_key(rule, "demoheld", person.pk),
            meeting=meeting,
            recipient=person.email,
            subject=message.subject,
            body_text=message.body,
            kind=reminders.KIND,
            status=MessageStatus.HELD,
            batch=HELD_BATCH,
            next_attempt_at=None,
            reply_to=outbox.meeting_reply_to(meeting),
            attachments=[ics.as_json()],
        )
    return len(people)


def load_reminders_part(context) -> None:
    """The demo meeting's reminder part (``agenda.demo.register_demo_part``)."""
    load_demo_reminders(meeting=context.meeting)
