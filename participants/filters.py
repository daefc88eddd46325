"""The organiser tracker's filter and search form (GET, so every view of the list has a URL)."""

from django import forms
from django_countries import countries as all_countries

from .models import Gender, Region, Role, Status
from .queries import NOT_STATED, TrackerFilters

ANY = [("", "Any")]


class TrackerFilterForm(forms.Form):
    q = forms.CharField(label="Search name, email or organisation", required=False, max_length=200)
    role = forms.ChoiceField(label="Role", required=False, choices=ANY + Role.choices)
    status = forms.ChoiceField(label="Status", required=False, choices=ANY + Status.choices)
    country = forms.ChoiceField(label="Country", required=False)
    funded = forms.ChoiceField(
        label="Funded", required=False, choices=ANY + [("yes", "Funded"), ("no", "Not funded")]
    )
    seated = forms.ChoiceField(
        label="Seat (accepted, registered or attended)",
        required=False,
        choices=ANY + [("yes", "Holds a seat"), ("no", "Holds no seat")],
    )
    gender = forms.ChoiceField(
        label="Gender",
        required=False,
        choices=ANY + [(v or NOT_STATED, label) for v, label in Gender.choices],
    )
    region = forms.ChoiceField(
        label="Region",
        required=False,
        choices=ANY + [(v or NOT_STATED, label) for v, label in Region.choices],
    )

    FIELDS = ("q", "role", "status", "country", "funded", "seated", "gender", "region")

    def __init__(self, *args, countries: list[tuple[str, str]] | None = None, **kwargs):
        """``countries`` narrows the country menu to those present; None accepts any country."""
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ANY + (
            countries if countries is not None else list(all_countries)
        )

    def filters(self) -> TrackerFilters:
        """The valid filters; a field with a bad value is ignored (and shown as an error)."""
        if not self.is_bound:
            return TrackerFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return TrackerFilters(**{name: data.get(name) or "" for name in self.FIELDS})
