"""Admin for the outbox: read what was sent and why a message failed, resend what failed,
cancel what has not gone yet. Bodies are shown and exported redacted
(``notifications.redaction``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin

from agenda.admin.scope import MeetingScopedAdmin, scope_to_organiser
from participants.models import Participant

from . import outbox, reminders
from .models import Message, MessageStatus, ReminderFiring, ReminderRule
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


class ReminderRuleAdminForm(forms.ModelForm):
    """The organisers' rule form in the admin: the same checks as the organiser pages."""

    offsets_text = forms.CharField(
        label="Offsets",
        help_text="Days before the deadline's day and a time in the meeting's zone, e.g. "
        "'14d 08:00, 7d 08:00, 2d 08:00, 0d 08:00'.",
    )

    class Meta:
        model = ReminderRule
        fields = [
            "deadline",
            "name",
            "audience",
            "subject_template",
            "body_template",
            "selected",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["offsets_text"].initial = reminders.offsets_text(self.instance.offsets)
        else:
            self.fields["offsets_text"].initial = reminders.offsets_text(
                reminders.PAPER_DEFAULT_OFFSETS
            )

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        try:
            offsets = reminders.parse_offsets_text(cleaned.get("offsets_text", ""))
        except ValidationError as exc:
            self.add_error("offsets_text", exc)
            return cleaned
        if deadline is None:
            return cleaned
        kept = frozenset()
        if self.instance.pk:
            kept = frozenset(o.key for o in reminders.parse_offsets(self.instance.offsets))
        try:
            reminders.validate_rule(
                deadline=deadline,
                offsets=offsets,
                subject_template=cleaned.get("subject_template", ""),
                body_template=cleaned.get("body_template", ""),
                made_at=timezone.now(),
                kept_offsets=kept,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error("offsets_text" if name == "offsets" else name, errors)
        self.instance.offsets = [o.as_json() for o in reminders.parse_offsets(offsets)]
        others = [p for p in cleaned.get("selected") or [] if p.meeting_id != deadline.meeting_id]
        if others:
            self.add_error("selected", "Choose participants of the deadline's meeting only.")
        return cleaned


@admin.register(ReminderRule)
class ReminderRuleAdmin(MeetingScopedAdmin):
    form = ReminderRuleAdminForm
    meeting_lookup = "deadline__meeting"
    list_display = ["name", "deadline", "audience", "offsets_display", "is_active"]
    list_filter = [
        "is_active",
        "audience",
        "deadline__kind",
        ("deadline__meeting", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["deadline"]
    search_fields = ["name", "deadline__description", "deadline__meeting__title"]
    autocomplete_fields = ["deadline", "selected"]

    @admin.display(description="Offsets")
    def offsets_display(self, rule: ReminderRule) -> str:
        return reminders.offsets_text(rule.offsets)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "selected":
            kwargs["queryset"] = scope_to_organiser(
                Participant.objects.all(), request.user, "meeting"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReminderFiring)
class ReminderFiringAdmin(MeetingScopedAdmin):
    meeting_lookup = "rule__deadline__meeting"
    list_display = ["rule", "offset", "due_at", "fired_at", "status", "recipients", "note"]
    list_filter = ["status"]
    list_select_related = ["rule__deadline"]
    readonly_fields = [
        "rule", "offset", "deadline_due_at", "due_at", "fired_at", "status", "recipients", "note"
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False
