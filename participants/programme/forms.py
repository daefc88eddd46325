"""The programme editor's forms that name people: a part in a session, a group's member."""

from django import forms

from agenda.models import WorkingGroup

from ..models import Paper, Participant, SessionPart


class PartForm(forms.Form):
    participant = forms.ModelChoiceField(queryset=None)
    part = forms.ChoiceField()
    paper = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For a presenter: the paper presented."
    )
    order = forms.IntegerField(min_value=0, initial=0, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(meeting=meeting)
        self.fields["part"].choices = SessionPart.choices
        self.fields["paper"].queryset = Paper.objects.filter(
            participant__meeting=meeting
        ).select_related("participant")


class MemberForm(forms.Form):
    participant = forms.ModelChoiceField(queryset=None)
    working_group = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No working group"
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(meeting=meeting)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(meeting=meeting)
