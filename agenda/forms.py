"""Forms of the organiser's agenda pages. Times are typed in the meeting's zone: the views
activate it, so Django reads and shows the fields in that zone."""

import datetime as dt

from django import forms

from .models import Room, Session, SessionKind, WorkingGroup
from .text import CleanCharFormField


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.Form):
    kind = forms.ChoiceField(choices=SessionKind.choices)
    title = CleanCharFormField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_at = forms.DateTimeField(
        label="Starts",
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label="Ends",
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False)
    working_group = forms.ModelChoiceField(
        queryset=WorkingGroup.objects.none(),
        required=False,
        help_text="Leave empty for sessions everyone attends (plenaries, breaks).",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = (
            Room.objects.filter(venue_id=meeting.venue_id).select_related("venue")
            if meeting.venue_id
            else Room.objects.none()
        )
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(meeting=meeting)
        # Name every abbreviation the meeting's days use (EDT and EST across a DST change).
        names = dict.fromkeys(
            dt.datetime.combine(day, dt.time(12), tzinfo=meeting.zone).tzname()
            for day in meeting.days
        )
        zone = f"{meeting.time_zone} ({', then '.join(name for name in names if name)})"
        self.fields["starts_at"].help_text = f"Local time in {zone}."
        self.fields["ends_at"].help_text = f"Local time in {zone}."

    @staticmethod
    def initial_for(session: Session) -> dict:
        return {
            "kind": session.kind,
            "title": session.title,
            "description": session.description,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "room": session.room_id,
            "working_group": session.working_group_id,
        }
