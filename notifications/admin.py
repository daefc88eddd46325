"""Admin for the outbox: read what was sent and why a message failed, resend what failed,
cancel what has not gone yet. Bodies are shown and exported redacted
(``notifications.redaction``)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin

from agenda.admin.scope import MeetingScopedAdmin

from . import outbox
from .models import Message, MessageStatus, ReminderRule
from .redaction import redact
from .resources import MessageResource


@admin.register(Message)
class MessageAdmin(ExportMixin, MeetingScopedAdmin):
    resource_classes = [MessageResource]
    change_form_template = "admin/notifications/message/change_form.html"
    list_display = [
        "subject",
        "recipient",
        "kind",
        "status",
        "attempts",
        "failure",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", ("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["recipient", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    actions = ["resend_messages", "cancel_messages"]
    fields = [
        "meeting",
        "recipient",
        "reply_to",
        "subject",
        "kind",
        "status",
        "attempts",
        "last_error",
        "attempt_history",
        "next_attempt_at",
        "retry_until",
        "text",
        "html",
        "attachment_names",
        "message_id",
        "idempotency_key",
        "created_at",
        "claimed_at",
        "sent_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description="Last error")
    def failure(self, message: Message) -> str:
        if message.status == MessageStatus.SENT:
            return ""
        return truncatechars(message.last_error, 80)

    @admin.display(description="Text")
    def text(self, message: Message) -> str:
        return redact(message.body_text)

    @admin.display(description="HTML")
    def html(self, message: Message) -> str:
        return redact(message.body_html)

    @admin.display(description="Attempts, latest last")
    def attempt_history(self, message: Message) -> str:
        if not message.attempt_log:
            return "-"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (entry.get("at", ""), entry.get("outcome", ""), entry.get("error", ""))
                for entry in message.attempt_log
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>When (UTC)</th><th scope='col'>Outcome</th>"
            "<th scope='col'>Error</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Attachments")
    def attachment_names(self, message: Message) -> str:
        return ", ".join(item["filename"] for item in message.attachments) or "-"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Sent mail is the record of what the meeting told people; it is cancelled, not deleted.
        return False

    def get_urls(self):
        resend = self.admin_site.admin_view(require_POST(self.resend_view))
        return [
            path("<int:object_id>/resend/", resend, name="notifications_message_resend"),
            *super().get_urls(),
        ]

    def resend_view(self, request, object_id: int):
        """The change page's "Resend" button: one failed message, queued again."""
        message = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, message):
            raise PermissionDenied
        if outbox.resend(message):
            self.message_user(request, "The message is queued to be sent again.", messages.SUCCESS)
        else:
            self.message_user(request, "Only a failed message can be resent.", messages.WARNING)
        return HttpResponseRedirect(
            reverse("admin:notifications_message_change", args=[message.pk])
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_resend"] = (
            obj is not None
            and obj.status == MessageStatus.FAILED
            and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @admin.action(description="Resend the selected failed messages", permissions=["change"])
    def resend_messages(self, request, queryset) -> None:
        resent = sum(
            outbox.resend(message) for message in queryset.filter(status=MessageStatus.FAILED)
        )
        skipped = queryset.count() - resent
        self.message_user(
            request, f"{resent} message(s) queued to be sent again.", messages.SUCCESS
        )
        if skipped:
            self.message_user(
                request,
                f"{skipped} message(s) had not failed and were left as they are.",
                messages.WARNING,
            )

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
