"""Admin for the outbox: read what was sent, cancel what has not gone yet."""

from django.contrib import admin, messages

from agenda.admin.scope import MeetingScopedAdmin

from . import outbox
from .models import Message, MessageStatus, ReminderRule


@admin.register(Message)
class MessageAdmin(MeetingScopedAdmin):
    list_display = ["subject", "recipient", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", ("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["recipient", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    actions = ["cancel_messages"]
    fields = [
        "meeting",
        "recipient",
        "subject",
        "kind",
        "status",
        "attempts",
        "last_error",
        "body_text",
        "body_html",
        "attachment_names",
        "idempotency_key",
        "created_at",
        "claimed_at",
        "sent_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description="Attachments")
    def attachment_names(self, message: Message) -> str:
        return ", ".join(item["filename"] for item in message.attachments) or "-"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Sent mail is the record of what the meeting told people; it is cancelled, not deleted.
        return False

    @admin.action(
        description="Cancel the selected messages that have not been sent",
        permissions=["change"],
    )
    def cancel_messages(self, request, queryset) -> None:
        cancelled = sum(
            outbox.cancel(message) for message in queryset.filter(status=MessageStatus.QUEUED)
        )
        skipped = queryset.count() - cancelled
        self.message_user(request, f"{cancelled} message(s) cancelled.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} message(s) were already sending, sent, failed or cancelled.",
                messages.WARNING,
            )


@admin.register(ReminderRule)
class ReminderRuleAdmin(MeetingScopedAdmin):
    meeting_lookup = "deadline__meeting"
    list_display = ["deadline", "offset", "is_active"]
    list_filter = [
        "is_active",
        "deadline__kind",
        ("deadline__meeting", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["deadline"]
    search_fields = ["deadline__description", "deadline__meeting__title"]
    autocomplete_fields = ["deadline"]
