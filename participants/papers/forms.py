"""Forms for submitting and reviewing papers: they parse input; the rules live in papers.py."""

from django import forms

from agenda.text import CleanCharFormField

from ..models import ReviewStatus
from .queries import paper_roles


class PaperForm(forms.Form):
    title = CleanCharFormField(max_length=300)
    abstract = forms.CharField(
        label="Short abstract",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few sentences, at most 2,000 characters.",
    )
    file = forms.FileField(
        label="Paper file",
        required=False,
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

    def __init__(self, *args, file_refused: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if file_refused:
            # The upload handler dropped the file while it arrived: say why, not "no file".
            self.fields["file"].error_messages = {
                **self.fields["file"].error_messages,
                "required": file_refused,
            }

    def clean(self):
        cleaned = super().clean()
        # No file is needed when confirming the page count of the file kept from before.
        if not cleaned.get("file") and "file" not in self.errors and not self.confirmed_checksum():
            self.add_error("file", self.fields["file"].error_messages["required"])
        return cleaned

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


class PaperRequestForm(forms.Form):
    """Whether one participant owes a paper: as their role says, or as the organisers decide."""

    FOLLOW_ROLE, ASKED, NOT_ASKED = "", "yes", "no"
    VALUES = {FOLLOW_ROLE: None, ASKED: True, NOT_ASKED: False}

    requested = forms.ChoiceField(label="Asked for a paper", required=False)

    def __init__(self, *args, participant, **kwargs):
        if "initial" not in kwargs:
            current = participant.paper_requested
            kwargs["initial"] = {
                "requested": {None: "", True: "yes", False: "no"}[current],
            }
        super().__init__(*args, **kwargs)
        by_role = participant.role in paper_roles(participant.meeting)
        self.fields["requested"].choices = [
            (
                self.FOLLOW_ROLE,
                f"As the role says ({participant.get_role_display()}: "
                f"{'asked' if by_role else 'not asked'})",
            ),
            (self.ASKED, "Asked for a paper"),
            (self.NOT_ASKED, "Not asked for a paper"),
        ]

    def requested_value(self) -> bool | None:
        return self.VALUES[self.cleaned_data["requested"]]
