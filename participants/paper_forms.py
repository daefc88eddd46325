"""Forms for submitting and reviewing papers: they parse input; the rules live in papers.py."""

from django import forms

from .models import ReviewStatus


class PaperForm(forms.Form):
    title = forms.CharField(max_length=300)
    abstract = forms.CharField(
        label="Short abstract",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few sentences, at most 2,000 characters.",
    )
    file = forms.FileField(
        label="Paper file",
        help_text="PDF or Word (.docx).",
        error_messages={
            "required": "Please choose the file of your paper.",
            "empty": "The file is empty. Please choose your paper again.",
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )
    consent_publish = forms.BooleanField(
        label="The organisers may publish this paper on the meeting's site",
        required=False,
    )
    confirm_pages = forms.BooleanField(label="Submit it with this page count", required=False)
    confirmed_sha256 = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def confirmed_checksum(self) -> str:
        """The checksum of the file whose page count the participant confirmed, if any."""
        if self.cleaned_data.get("confirm_pages"):
            return self.cleaned_data.get("confirmed_sha256", "")
        return ""


class ReviewForm(forms.Form):
    review_status = forms.ChoiceField(label="Review status", choices=ReviewStatus.choices)
    note = forms.CharField(
        label="Note to the author",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent to the author by email with the status.",
    )
