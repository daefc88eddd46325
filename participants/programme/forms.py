"""The programme editor's forms that name people: a part in a session, a group's member."""

from django import forms

from agenda.models import WorkingGroup

from ..collation import by_name
from ..models import SEAT_HOLDING_STATUSES, Paper, Participant, SessionPart, Status

# Those who hold a seat, and those who may still take one: the people the programme can name.
PROGRAMME_STATUSES = (*SEAT_HOLDING_STATUSES, Status.INVITED, Status.WAITLISTED)


class PersonChoiceField(forms.ModelChoiceField):
    """People by name, each marked by status so a still-open invitation is plain to see."""

    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.family_name}, {obj.given_name} ({obj.get_status_display().lower()})"


def programme_people(meeting):
    return Participant.objects.filter(meeting=meeting, status__in=PROGRAMME_STATUSES).order_by(
        *by_name(), "pk"
    )


class PartForm(forms.Form):
    participant = PersonChoiceField(
        queryset=None,
        help_text="Those who accepted or registered, and those still invited or on the "
        "waiting list.",
    )
    part = forms.ChoiceField()
    paper = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For a presenter: the paper presented."
    )
    order = forms.IntegerField(min_value=0, initial=0, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = programme_people(meeting)
        self.fields["part"].choices = SessionPart.choices
        self.fields["paper"].queryset = Paper.objects.filter(
            participant__meeting=meeting
        ).select_related("participant")


class MemberForm(forms.Form):
    participant = PersonChoiceField(queryset=None)
    working_group = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No working group"
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = programme_people(meeting)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(meeting=meeting)
