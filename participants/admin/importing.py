"""Import and export of participants in the admin, as a mixin for ParticipantAdmin.

Wire it in with one line: ``class ParticipantAdmin(ParticipantImportExportMixin,
admin.ModelAdmin)``. The import page asks for the meeting (only meetings the user organises),
shows every bad row with its number, column and reason, or a preview of what will be created,
updated or left unchanged (the first rows, and counts); confirming writes it all in one
transaction and leaves one entry in the admin's log. Exports use
``ParticipantResource``, which neutralises formulas.
"""

from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult

from agenda.models import Meeting

from .. import import_template
from ..importing import ImportRejected
from ..resources import (
    ParticipantCSV,
    ParticipantExportXLSX,
    ParticipantResource,
    ParticipantXLSX,
)


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
    export_formats = [base_formats.CSV, ParticipantExportXLSX]
    import_template_name = "admin/participants/participant/import.html"

    def _limit_meetings(self, form, request):
        meetings = Meeting.objects.organised_by(request.user)
        field = form.fields["meeting"]
        field.queryset = meetings
        only = list(meetings[:2])
        if len(only) == 1:
            # Nothing to choose: the organiser's one meeting is already chosen.
            field.initial = only[0].pk
            field.empty_label = None
        return form

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import-template.csv",
                view(self.import_template_csv),
                name="participants_participant_import_template_csv",
            ),
            path(
                "import-template.xlsx",
                view(self.import_template_xlsx),
                name="participants_participant_import_template_xlsx",
            ),
            *super().get_urls(),
        ]

    def _template_download(self, request, fmt: str):
        if not self.has_import_permission(request):
            raise PermissionDenied
        content, content_type, name = import_template.template_file(fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_template_csv(self, request):
        return self._template_download(request, "csv")

    def import_template_xlsx(self, request):
        return self._template_download(request, "xlsx")

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["allowed"] = import_template.allowed_values()
        context["template_headers"] = import_template.HEADERS
        return context

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

    def generate_log_entries(self, result, request):
        """One entry in the admin's log for the whole import, on its meeting, instead of one
        per row (5,000 rows flooded "Recent actions" and took a quarter of the import); each
        participant's own history records who imported it."""
        meeting = getattr(result, "meeting", None)
        if self.get_skip_admin_log() or meeting is None:
            return
        totals = result.totals
        LogEntry.objects.log_actions(
            request.user.pk,
            [meeting],
            CHANGE,
            change_message=(
                f"Imported the invitee list: {totals[RowResult.IMPORT_TYPE_NEW]} new, "
                f"{totals[RowResult.IMPORT_TYPE_UPDATE]} updated, "
                f"{totals[RowResult.IMPORT_TYPE_SKIP]} unchanged."
            ),
            single_object=True,
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRejected):
            for error in e.errors:
                form.add_error("import_file", str(error))
            return
        super().add_data_read_fail_error_to_form(form, e)
