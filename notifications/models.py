"""The outbox: every email is a Message row before it is sent, and reminder rules."""

from django.db import models
from django.utils import timezone


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


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


class ReminderRule(models.Model):
    """Send a reminder this long before a deadline to those who still owe what it asks."""

    deadline = models.ForeignKey(
        "agenda.Deadline", on_delete=models.CASCADE, related_name="reminder_rules"
    )
    offset = models.DurationField(help_text="How long before the deadline, e.g. 7 days.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["deadline", "-offset"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "offset"], name="reminder_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.offset} before {self.deadline}"
