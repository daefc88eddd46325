"""The organisers' reminder rule form and the "remind the selected" choice."""

from django import forms
from django.core.exceptions import ValidationError

from participants.models import Participant

from . import reminders
from .models import ReminderAudience, ReminderRule


class RuleForm(forms.Form):
    deadline = forms.ModelChoiceField(queryset=None, empty_label=None)
    name = forms.CharField(max_length=200)
    audience = forms.ChoiceField(choices=ReminderAudience.choices)
    offsets = forms.CharField(
        help_text=(
            "Days before the deadline's day and the time in the meeting's zone, separated by "
            "commas: '14d 08:00, 7d 08:00, 2d 08:00, 0d 08:00' (0d is the day itself)."
        )
    )
    subject_template = forms.CharField(label="Subject", max_length=300)
    body_template = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Placeholders: {{ name }}, {{ given_name }}, {{ meeting }}, {{ meeting_title }}, "
            "{{ deadline }}, {{ deadline_description }}, {{ due }}, {{ due_date }}, "
            "{{ time_left }}, {{ portal_url }}, {{ contact_name }}, {{ contact_email }}."
        ),
    )
    selected = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Chosen participants",
        help_text="Only for the audience 'Participants chosen by the organisers'.",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["deadline"].queryset = meeting.deadlines.order_by("due_at")
        self.fields["selected"].queryset = Participant.objects.filter(meeting=meeting).order_by(
            "family_name", "given_name", "pk"
        )

    @classmethod
    def initial_for(cls, rule: ReminderRule | None, deadline=None) -> dict:
        if rule is not None:
            return {
                "deadline": rule.deadline_id,
                "name": rule.name,
                "audience": rule.audience,
                "offsets": reminders.offsets_text(rule.offsets),
                "subject_template": rule.subject_template,
                "body_template": rule.body_template,
                "selected": list(rule.selected.values_list("pk", flat=True)),
                "is_active": rule.is_active,
            }
        audience = reminders.DEFAULT_AUDIENCE.get(
            getattr(deadline, "kind", ""), ReminderAudience.SELECTED
        )
        subject, body = reminders.default_templates(audience)
        return {
            "deadline": getattr(deadline, "pk", None),
            "name": f"{deadline.get_kind_display()} reminders" if deadline else "Reminders",
            "audience": audience,
            "offsets": reminders.offsets_text(reminders.PAPER_DEFAULT_OFFSETS),
            "subject_template": subject,
            "body_template": body,
            "is_active": True,
        }

    def clean_offsets(self):
        return reminders.parse_offsets_text(self.cleaned_data["offsets"])

    def save(self, *, rule: ReminderRule | None, by) -> ReminderRule | None:
        """Save through the service; its refusals become the form's errors (None returned)."""
        data = self.cleaned_data
        try:
            return reminders.save_rule(
                deadline=data["deadline"],
                name=data["name"],
                audience=data["audience"],
                offsets=data["offsets"],
                subject_template=data["subject_template"],
                body_template=data["body_template"],
                selected=list(data["selected"]),
                is_active=data["is_active"],
                by=by,
                rule=rule,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return None


class RemindForm(forms.Form):
    """Participants ticked on a tracker and the rule whose message they get now."""

    rule = forms.ModelChoiceField(queryset=None, empty_label=None, label="Reminder")
    participant = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": "Tick at least one participant to remind."},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = ReminderRule.objects.filter(
            deadline__meeting=meeting
        ).select_related("deadline__meeting")
        self.fields["participant"].queryset = Participant.objects.filter(meeting=meeting)
