"""Admin for the outbox: read what was sent, cancel what has not gone yet."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from agenda.admin_scope import MeetingScopedAdmin, scope_to_organiser
from participants.models import Participant

from . import outbox, reminders
from .models import Message, MessageStatus, ReminderFiring, ReminderRule


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
