"""Import and export of participants in the admin, as a mixin for ParticipantAdmin.

Wire it in with one line: ``class ParticipantAdmin(ParticipantImportExportMixin,
admin.ModelAdmin)``. The import page asks for the meeting (only meetings the user organises),
shows every bad row with its number, column and reason, or a preview of what will be created,
updated or left unchanged; confirming writes it all in one transaction. Exports use
``ParticipantResource``, which neutralises formulas.
"""

from django import forms
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm

from agenda.models import Meeting

from ..importing import ImportRejected
from ..resources import ParticipantCSV, ParticipantResource, ParticipantXLSX


class ParticipantImportForm(ImportForm):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), help_text="The meeting whose invitee list this is."
    )


class ParticipantConfirmImportForm(ConfirmImportForm):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), widget=forms.HiddenInput)


class ParticipantImportExportMixin(ImportExportMixin):
    resource_classes = [ParticipantResource]
    import_form_class = ParticipantImportForm
    confirm_form_class = ParticipantConfirmImportForm
    import_formats = [ParticipantCSV, ParticipantXLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]

    def _limit_meetings(self, form, request):
        form.fields["meeting"].queryset = Meeting.objects.organised_by(request.user)
        return form

    def create_import_form(self, request):
        return self._limit_meetings(super().create_import_form(request), request)

    def create_confirm_form(self, request, import_form=None):
        return self._limit_meetings(super().create_confirm_form(request, import_form), request)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["meeting"] = import_form.cleaned_data["meeting"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        if form is not None and form.is_bound and form.is_valid():
            resource_kwargs["meeting"] = form.cleaned_data["meeting"]
        return resource_kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRejected):
            for error in e.errors:
                form.add_error("import_file", str(error))
            return
        super().add_data_read_fail_error_to_form(form, e)
