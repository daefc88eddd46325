"""django-import-export resource for participants, shared by the admin and the import service.

Importing goes through ``participants.importing`` whatever the entry point (admin, command):
one set of rules for reading, validating and writing, all or nothing. Exporting through the
admin neutralises formulas like every other export (``exports.neutralise_dataset``).
"""

import hashlib

import tablib
from django.core.cache import cache
from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.results import Error, Result, RowResult

from agenda.models import Meeting

from .exports import neutralise_dataset, to_xlsx
from .importing import (
    COLUMNS,
    PREVIEW_ROWS,
    ImportRejected,
    Table,
    column_for_header,
    import_table,
    read_table,
)
from .models import Participant

EXPORT_FIELDS = (
    "honorific", "given_name", "family_name", "email", "organisation", "job_title",
    "country", "nationality", "gender", "role", "funded", "status",
    "invited_at", "responded_at", "registered_at",
)  # fmt: skip


def _read_once(data: bytes) -> Table:
    """The upload read into cells. The confirmation reads the same file as the preview, so
    the preview's table is kept under the file's hash until the confirmation takes it, for an
    hour at most (the list holds names and addresses). Only readable files are kept;
    validation runs again on every step."""
    key = "participants:import-table:" + hashlib.sha256(data).hexdigest()
    table = cache.get(key)
    if table is not None:
        cache.delete(key)
        return table
    table = read_table(data)
    cache.set(key, table, timeout=3600)
    return table


class _TableFormat:
    """Reads uploads with ``importing.read_table``: content sniffing, encodings, size guards.

    The file's own row numbers travel with the dataset, so errors name the spreadsheet's rows.
    """

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        table = _read_once(bytes(in_stream))
        width = len(table.headers)
        # Rows padded to the header's width here, so tablib need not check each one.
        dataset = tablib.Dataset(
            *((list(cells) + [""] * width)[:width] for _number, cells in table.rows),
            headers=[str(header) for header in table.headers],
        )
        dataset.row_numbers = [number for number, _cells in table.rows]
        return dataset


class ParticipantCSV(_TableFormat, base_formats.CSV):
    pass


class ParticipantXLSX(_TableFormat, base_formats.XLSX):
    pass


class ParticipantExportXLSX(base_formats.XLSX):
    """The admin's XLSX export written like the tracker's: bold frozen header, a filter,
    columns as wide as their content. Its times stay text, each naming its meeting's zone,
    since one export may hold several meetings."""

    def export_data(self, dataset, **kwargs):
        return to_xlsx(dataset.headers, dataset, title="Participants")


def _local(moment, meeting: Meeting) -> str:
    if moment is None:
        return ""
    return meeting.local(moment).strftime("%Y-%m-%d %H:%M ") + meeting.time_zone


class ParticipantResource(resources.ModelResource):
    """Columns of the participant list. Export: labels and local times; import: the service."""

    honorific = fields.Field(attribute="honorific", column_name="Honorific")
    given_name = fields.Field(attribute="given_name", column_name="Given name")
    family_name = fields.Field(attribute="family_name", column_name="Family name")
    email = fields.Field(attribute="email", column_name="Email")
    organisation = fields.Field(attribute="organisation", column_name="Organisation")
    job_title = fields.Field(attribute="job_title", column_name="Job title")
    country = fields.Field(column_name="Country")
    nationality = fields.Field(column_name="Nationality")
    gender = fields.Field(column_name="Gender")
    role = fields.Field(column_name="Role")
    funded = fields.Field(column_name="Funded")
    status = fields.Field(column_name="Status")
    invited_at = fields.Field(column_name="Invited at")
    responded_at = fields.Field(column_name="Responded at")
    registered_at = fields.Field(column_name="Registered at")

    class Meta:
        model = Participant
        fields = EXPORT_FIELDS
        export_order = EXPORT_FIELDS
        import_id_fields = ("email",)

    def __init__(self, meeting: Meeting | None = None, **kwargs):
        super().__init__(**kwargs)
        self.meeting = meeting

    # Export ----------------------------------------------------------------------------

    def dehydrate_country(self, participant):
        return participant.country.name or ""

    def dehydrate_nationality(self, participant):
        return participant.nationality.name or ""

    def dehydrate_gender(self, participant):
        return participant.get_gender_display()

    def dehydrate_role(self, participant):
        return participant.get_role_display()

    def dehydrate_funded(self, participant):
        return "yes" if participant.funded else "no"

    def dehydrate_status(self, participant):
        return participant.get_status_display()

    def dehydrate_invited_at(self, participant):
        return _local(participant.invited_at, participant.meeting)

    def dehydrate_responded_at(self, participant):
        return _local(participant.responded_at, participant.meeting)

    def dehydrate_registered_at(self, participant):
        return _local(participant.registered_at, participant.meeting)

    def export(self, queryset=None, **kwargs):
        if queryset is not None and hasattr(queryset, "select_related"):
            queryset = queryset.select_related("meeting")
        dataset = super().export(queryset=queryset, **kwargs)
        neutralise_dataset(dataset)
        return dataset

    # Import ----------------------------------------------------------------------------

    def get_user_visible_fields(self):
        importable = {column.field for column in COLUMNS}
        return [field for name, field in self.fields.items() if name in importable]

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Validate and write through ``importing.import_table``; report as import-export does."""
        result = self.get_result_class()() if hasattr(self, "get_result_class") else Result()
        result.diff_headers = [column.name for column in COLUMNS]
        if self.meeting is None:
            result.append_base_error(Error(ValueError("Choose the meeting to import into.")))
            return result
        numbers = getattr(dataset, "row_numbers", None) or [n + 2 for n in range(len(dataset))]
        table = Table(
            headers=[str(header or "") for header in (dataset.headers or [])],
            rows=[
                (number, ["" if cell is None else str(cell) for cell in row])
                for number, row in zip(numbers, dataset, strict=False)
            ],
        )
        try:
            summary = import_table(
                meeting=self.meeting, table=table, dry_run=dry_run, preview_rows=PREVIEW_ROWS
            )
        except ImportRejected as rejected:
            if raise_errors:
                raise
            self._report_errors(result, rejected, table)
            return result
        # The preview shows the first rows and counts the rest; confirming only counts (see
        # ParticipantImportExportMixin.generate_log_entries).
        for number, kind, participant, changed in summary.outcomes:
            row = RowResult()
            row.number = number
            row.import_type = kind
            row.object_id = participant.pk
            row.object_repr = str(participant)
            row.instance = participant
            row.diff = [
                self._preview(participant, column.field)
                + (" (changed)" if column.field in changed else "")
                for column in COLUMNS
            ]
            result.append_row_result(row)
        for kind, count in (
            (RowResult.IMPORT_TYPE_NEW, summary.created),
            (RowResult.IMPORT_TYPE_UPDATE, summary.updated),
            (RowResult.IMPORT_TYPE_SKIP, summary.unchanged),
        ):
            result.totals[kind] += count
        result.total_rows = summary.total
        result.rows_not_shown = summary.total - len(summary.outcomes)
        result.meeting = self.meeting
        return result

    @staticmethod
    def _preview(participant: Participant, name: str) -> str:
        if name in ("country", "nationality"):
            return str(getattr(participant, name).name or "")
        if name in ("gender", "role"):
            return str(getattr(participant, f"get_{name}_display")())
        if name == "funded":
            return "yes" if participant.funded else "no"
        return str(getattr(participant, name))

    @staticmethod
    def _report_errors(result, rejected: ImportRejected, table: Table) -> None:
        cells_by_number = dict(table.rows)
        by_row: dict[int, dict[str, list[str]]] = {}
        for error in rejected.errors:
            if error.row is None:
                result.append_invalid_row(1, {}, ValidationError(error.message))
                continue
            by_row.setdefault(error.row, {}).setdefault(error.column, []).append(error.message)
        columns = [column_for_header(header) for header in table.headers]
        for number, messages in sorted(by_row.items()):
            cells = cells_by_number.get(number, [])
            row = {
                column.name: cell
                for column, cell in zip(columns, cells, strict=False)
                if column is not None
            }
            result.append_invalid_row(number, row, ValidationError(messages))
