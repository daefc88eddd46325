"""Forms of the logistics pages. Rules (flight windows, the block's nights) are the
services'; forms parse and say which field is wrong."""

import filetype
from django import forms

from participants.forms import DateInput, ErrorsDescribedMixin

from .models import (
    Embassy,
    HotelBlock,
    HotelBooking,
    InformationNote,
    LetterTemplate,
    TravelPlan,
)
from .services import TRAVEL_FIELDS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class VisaRequestForm(ErrorsDescribedMixin, forms.Form):
    embassy = forms.ModelChoiceField(
        queryset=Embassy.objects.none(),
        label="Embassy or high commission the letter is for",
        empty_label="Choose one",
    )
    note = forms.CharField(
        label="Note for the secretariat (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["embassy"].queryset = Embassy.objects.filter(meeting=meeting)


class TravelPlanForm(ErrorsDescribedMixin, forms.ModelForm):
    """The participant's flights. Times are local times in the meeting's zone."""

    class Meta:
        model = TravelPlan
        # What the participant may set; ``services.save_travel_plan`` takes these alone.
        fields = list(TRAVEL_FIELDS)
        labels = {
            "departure_city": "City you travel from",
            "arrival_carrier": "Arrival: airline",
            "arrival_flight": "Arrival: flight number",
            "arrival_at": "Arrival: date and local time",
            "arrival_airport": "Arrival: airport",
            "departure_carrier": "Departure: airline",
            "departure_flight": "Departure: flight number",
            "departure_at": "Departure: date and local time",
            "departure_airport": "Departure: airport",
            "airport_pickup": "I need to be met at the airport",
            "notes": "Anything the secretariat should know",
        }
        widgets = {
            "arrival_at": DateTimeInput(),
            "departure_at": DateTimeInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        arrival, departure = data.get("arrival_at"), data.get("departure_at")
        if arrival and departure and departure <= arrival:
            self.add_error("departure_at", "The departure must come after the arrival.")
        return data


class TicketForm(TravelPlanForm):
    """The organisers' view of a travel plan: the flights plus the ticket and allowance."""

    class Meta(TravelPlanForm.Meta):
        fields = TravelPlanForm.Meta.fields + [
            "ticket_issued",
            "ticket_reference",
            "ticket_cost",
            "ticket_currency",
            "dsa_nights",
        ]
        labels = {
            **TravelPlanForm.Meta.labels,
            "airport_pickup": "Needs airport pickup",
            "dsa_nights": "Nights of subsistence allowance",
        }


class HotelBookingForm(ErrorsDescribedMixin, forms.ModelForm):
    class Meta:
        model = HotelBooking
        fields = [
            "check_in",
            "check_out",
            "room_type",
            "accessibility_needs",
            "accessibility_consent",
        ]
        labels = {
            "accessibility_needs": "Accessibility needs the hotel must know",
            "accessibility_consent": "The secretariat may pass these needs to the hotel",
        }
        widgets = {
            "check_in": DateInput(),
            "check_out": DateInput(),
            "accessibility_needs": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        check_in, check_out = data.get("check_in"), data.get("check_out")
        if check_in and check_out and check_out <= check_in:
            self.add_error("check_out", "The check-out must come after the check-in.")
        return data


class OrganiserBookingForm(HotelBookingForm):
    class Meta(HotelBookingForm.Meta):
        fields = HotelBookingForm.Meta.fields + ["confirmation", "notes"]
        widgets = {**HotelBookingForm.Meta.widgets, "notes": forms.Textarea(attrs={"rows": 2})}


class HotelBlockForm(ErrorsDescribedMixin, forms.ModelForm):
    class Meta:
        model = HotelBlock
        fields = ["hotel", "first_night", "last_night", "rooms", "room_rate"]
        widgets = {"first_night": DateInput(), "last_night": DateInput()}


class LetterTemplateForm(ErrorsDescribedMixin, forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = [
            "reference_prefix",
            "letterhead",
            "body",
            "signatory_name",
            "signatory_title",
            "signature",
        ]
        widgets = {
            "letterhead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }

    def clean_signature(self):
        signature = self.cleaned_data.get("signature")
        if signature and hasattr(signature, "content_type"):
            head = signature.read(261)
            signature.seek(0)
            kind = filetype.guess(head)
            if kind is None or kind.mime not in ("image/png", "image/jpeg"):
                raise forms.ValidationError("The signature must be a PNG or JPEG image.")
            if signature.size > 1024 * 1024:
                raise forms.ValidationError("The signature image must be under 1 MB.")
        return signature


class InformationNoteForm(ErrorsDescribedMixin, forms.ModelForm):
    class Meta:
        model = InformationNote
        fields = [*InformationNote.SECTIONS, "dsa_rate", "dsa_currency"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in InformationNote.SECTIONS}


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


class BatchForm(forms.Form):
    kind = forms.ChoiceField(choices=())
    participants = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, kinds, participant_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["participants"].choices = [(pk, pk) for pk in participant_ids]
