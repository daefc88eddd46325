"""The outbox: every email is a Message row before it is sent, and reminder rules."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    # Bulk mail waiting for an organiser to release (or cancel) its batch.
    HELD = "held", "Held for review"


class Message(models.Model):
    """One email. The idempotency key makes queueing the same email twice a no-op."""

    meeting = models.ForeignKey(
        "agenda.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename": ..., "mimetype": ..., "content_b64": ...}]
    attachments = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=60)
    idempotency_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    # The bulk send this message is part of while it waits for review ("" for none).
    batch = models.CharField(max_length=40, blank=True, db_index=True)
    # Headers fixed when the message is queued, so every attempt sends the same email.
    message_id = models.CharField("Message-ID", max_length=255, blank=True)
    reply_to = models.CharField(max_length=320, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # [{"at": ISO time, "outcome": "sent" | "retry" | "failed", "error": ...}], newest last.
    attempt_log = models.JSONField(default=list, blank=True)
    # When a queued message is due to be tried; the beat sweep dispatches what is due.
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    # When a sending task was last handed to the broker (None: the broker refused it).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Set by the first temporary failure: temporary failures are retried until then.
    retry_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    # Who cancelled or resent what, and each change of status; bodies (which hold links that
    # sign people in) and attachments stay out of the history.
    history = HistoricalRecords(
        excluded_fields=["body_text", "body_html", "attachments", "attempt_log", "updated_at"]
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["meeting", "kind"]),
            # The outbox list of one meeting, newest first, without sorting every message.
            models.Index(fields=["meeting", "-created_at"], name="message_meeting_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}: {self.subject}"


class ReminderAudience(models.TextChoices):
    """Who a rule reminds; each is one query in ``notifications.reminders``."""

    PAPER_MISSING = "paper_missing", "Experts who accepted and have no on-time paper"
    NOT_ANSWERED = "not_answered", "Invitees who have not answered"
    NOT_REGISTERED = "not_registered", "Accepted participants who have not registered"
    NO_TRAVEL_DETAILS = "no_travel_details", "Registered participants without travel details"
    VISA_LETTER_PENDING = (
        "visa_letter_pending",
        "Participants who asked for a visa letter that is not issued",
    )
    SELECTED = "selected", "Participants chosen by the organisers"


class ReminderRule(models.Model):
    """Remind those who still owe what a deadline asks, at set times before it.

    ``offsets`` is a list of ``{"days": 7, "time": "08:00"}``: that many days before the
    deadline's day, at that wall-clock time in the meeting's zone (``time`` empty: exactly
    ``days`` before the due instant). The subject and body are Django templates the
    organisers edit; ``notifications.reminders`` validates, previews and sends them.
    """

    deadline = models.ForeignKey(
        "agenda.Deadline", on_delete=models.CASCADE, related_name="reminder_rules"
    )
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=30, choices=ReminderAudience.choices)
    offsets = models.JSONField(default=list, blank=True)
    subject_template = models.CharField(max_length=300)
    body_template = models.TextField()
    selected = models.ManyToManyField(
        "participants.Participant",
        blank=True,
        related_name="+",
        help_text="For the audience 'chosen by the organisers' only.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline__due_at", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.deadline.get_kind_display()})"


class ReminderFiringStatus(models.TextChoices):
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"


class ReminderFiring(models.Model):
    """One offset of a rule that came due: fanned out once, or skipped with the reason.

    Unique per rule, offset and deadline time, so two beat runs cannot fan out the same
    offset twice; a moved deadline makes a new schedule.
    """

    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="firings")
    offset = models.CharField(max_length=20)  # "14d@08:00", as ``reminders.offset_key``
    deadline_due_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="When the offset was due to fire.")
    fired_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReminderFiringStatus.choices)
    recipients = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "offset", "deadline_due_at"], name="reminder_firing_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.offset}: {self.get_status_display()}"
