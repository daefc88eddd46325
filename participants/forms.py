"""Forms of the invitation, registration and organiser pages."""

from django import forms
from django.core.exceptions import ValidationError

from agenda.models import Meeting

from . import services
from .models import Participant, Registration, Status


class ErrorsDescribedMixin:
    """Tie each field's error message to its input (aria-describedby), for screen readers.

    The ids match ``templates/participants/_form_fields.html``.
    """

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


class DeclineForm(ErrorsDescribedMixin, forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Tell the organisers why, if you wish. Only they read it.",
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RegistrationForm(ErrorsDescribedMixin, forms.ModelForm):
    """Registration details; the passport expiry rule is the service's, checked here too."""

    class Meta:
        model = Registration
        fields = services.REGISTRATION_FIELDS
        labels = {
            "passport_name": "Name exactly as in your passport",
            "date_of_birth": "Date of birth",
            "passport_number": "Passport number",
            "passport_issuing_country": "Country that issued the passport",
            "passport_expires_on": "Passport valid until",
            "dietary_needs": "Dietary needs",
            "accessibility_needs": "Accessibility needs",
            "emergency_contact_name": "Emergency contact: name",
            "emergency_contact_phone": "Emergency contact: telephone",
            "consent_listed": "List my name, organisation and country in the participant list",
            "consent_publish_papers": "My paper may be published on the meeting's website",
        }
        widgets = {
            "date_of_birth": DateInput(),
            "passport_expires_on": DateInput(),
            "passport_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, meeting: Meeting, with_consents: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if not with_consents:
            # Someone registering on the participant's behalf: consents stay theirs.
            for name in services.CONSENT_FIELDS:
                del self.fields[name]
        # Blank in the database only once deleted at the end of the retention period.
        for name in services.PERSONAL_DATA_FIELDS:
            self.fields[name].required = True
        required = services.portal.passport_valid_until_required(meeting)
        self.fields[
            "passport_expires_on"
        ].help_text = (
            f"Must be valid until at least {required:%-d %B %Y}, six months after the meeting ends."
        )
        self.fields[
            "passport_number"
        ].help_text = "Stored encrypted; seen only by you and the meeting's organisers."

    def clean_passport_expires_on(self):
        value = self.cleaned_data.get("passport_expires_on")
        try:
            services.validate_passport_expiry(self.meeting, value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["passport_expires_on"]) from exc
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        try:
            services.validate_date_of_birth(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["date_of_birth"]) from exc
        return value


class InviteForm(forms.Form):
    """The organiser's choice of participants to invite (or remind, with ``resend``)."""

    participant = forms.ModelMultipleChoiceField(
        queryset=Participant.objects.none(),
        label="Participants",
        error_messages={"required": "Choose at least one participant to invite."},
    )
    resend = forms.BooleanField(required=False, label="Remind those already invited (same link)")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(meeting=meeting)


# Changes that take a seat away from someone: the page asks again before making them.
DESTRUCTIVE_STATUSES = frozenset({Status.CANCELLED, Status.DECLINED})


class StatusForm(forms.Form):
    """The organiser's status change. The menu starts empty so no click changes anyone by
    accident, and a destructive change is made only once ``confirmed`` comes back set."""

    to_status = forms.ChoiceField(
        label="New status",
        choices=(),
        error_messages={"required": "Choose the new status."},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.TRANSITIONS.get(participant.status, frozenset())
        self.fields["to_status"].choices = [("", "Choose a status")] + [
            (value, label) for value, label in Status.choices if value in allowed
        ]

    def needs_confirmation(self) -> bool:
        return (
            self.cleaned_data["to_status"] in DESTRUCTIVE_STATUSES
            and not self.cleaned_data["confirmed"]
        )
