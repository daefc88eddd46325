"""Participant lists as CSV and XLSX: the organisers' full list and the public-safe list.

Every cell that a spreadsheet could run as a formula (starting with =, +, -, @, tab or
carriage return) gets a leading apostrophe, as OWASP's CSV injection guidance advises; the
admin's export goes through ``neutralise_dataset`` for the same reason. Neither list carries
passport numbers or dates of birth: they are not read.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.utils import timezone
from django_countries import countries

from agenda.models import Meeting

from .models import Gender, Participant, Role, Status
from .queries import export_values, public_participants

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST_CHARACTERS = frozenset(FORMULA_PREFIXES)


def _labels(choices) -> dict[str, str]:
    """Labels translated once per export, not once per cell (translation dominates at scale)."""
    return {value: str(label) for value, label in choices}


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, made plain text."""
    if isinstance(value, str) and value[:1] in _FORMULA_FIRST_CHARACTERS:
        return "'" + value
    return value


def neutralise_dataset(dataset) -> None:
    """Neutralise every cell of a tablib Dataset in place (the admin's export path)."""
    rows = [[neutralise(cell) for cell in row] for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)


def organiser_headers(meeting: Meeting) -> list[str]:
    """Column names matching the import's, so an exported list can be imported again."""
    zone = meeting.zone_label()
    return [
        "Honorific", "Given name", "Family name", "Email", "Organisation", "Job title",
        "Country", "Nationality", "Gender", "Role", "Funded", "Status",
        f"Invited at ({zone})", f"Responded at ({zone})", f"Registered at ({zone})",
    ]  # fmt: skip


def _local(moment: dt.datetime | None, zone) -> dt.datetime | None:
    """The meeting's wall-clock time, naive: a spreadsheet date holds no zone (the header
    names it)."""
    return timezone.localtime(moment, zone).replace(tzinfo=None) if moment else None


def organiser_rows(meeting: Meeting, participants: QuerySet[Participant]) -> Iterable[list]:
    zone = meeting.zone
    names = {country.code: str(country.name) for country in countries}
    genders, roles, statuses = (
        _labels(Gender.choices),
        _labels(Role.choices),
        _labels(Status.choices),
    )
    for (
        _pk, honorific, given, family, email, organisation, job_title, country, nationality,
        gender, _region, role, funded, status, invited_at, responded_at, registered_at,
    ) in export_values(participants):  # fmt: skip
        yield [
            value
            for value in (
                honorific, given, family, email, organisation, job_title,
                names.get(country, country), names.get(nationality, nationality),
                genders.get(gender, gender), roles.get(role, role),
                "yes" if funded else "no", statuses.get(status, status),
                _local(invited_at, zone), _local(responded_at, zone), _local(registered_at, zone),
            )
        ]  # fmt: skip


PUBLIC_HEADERS = ["Name", "Organisation", "Country", "Role"]


def public_rows(meeting: Meeting) -> list[list[str]]:
    """The public list: name, organisation, country and role of those who consented."""
    names = {country.code: str(country.name) for country in countries}
    roles = _labels(Role.choices)
    return [
        [
            " ".join(part for part in (honorific, given, family) if part),
            organisation,
            names.get(country, country),
            roles.get(role, role),
        ]
        for honorific, given, family, organisation, country, role in public_participants(meeting)
    ]


def _csv_cell(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return neutralise(value)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows accents right; formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Spreadsheet number formats for real date cells (sortable and filterable as dates).
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
_XLSX_MAX_WIDTH = 60


def _display_width(value: object) -> int:
    if isinstance(value, dt.datetime):
        return len(XLSX_DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return len(XLSX_DATE_FORMAT)
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """A one-sheet workbook ready to work in: a bold, frozen header with a filter, columns as
    wide as their content, dates as real dates. Text cells stay text (openpyxl would store
    '=...' as a formula)."""
    from openpyxl import Workbook  # noqa: PLC0415 (slow to import; only exports need it)
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Strip what XLSX cannot hold first, then neutralise what that may have uncovered.
    cleaned = [
        [
            neutralise(ILLEGAL_CHARACTERS_RE.sub("", cell)) if isinstance(cell, str) else cell
            for cell in row
        ]
        for row in rows
    ]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    # Column widths, the frozen pane and the filter must be set before any row is written.
    widths = [len(str(header)) for header in headers]
    for row in cleaned:
        for index, cell in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_width(cell))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _XLSX_MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{len(cleaned) + 1}"

    def header_cell(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        return cell

    def cell_of(value: object) -> object:
        if isinstance(value, dt.datetime | dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            is_datetime = isinstance(value, dt.datetime)
            cell.number_format = XLSX_DATETIME_FORMAT if is_datetime else XLSX_DATE_FORMAT
            return cell
        return value

    sheet.append([header_cell(str(header)) for header in headers])
    for row in cleaned:
        sheet.append([cell_of(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def participants_csv(meeting: Meeting, participants: QuerySet[Participant]) -> bytes:
    return to_csv(organiser_headers(meeting), organiser_rows(meeting, participants))


def participants_xlsx(meeting: Meeting, participants: QuerySet[Participant]) -> bytes:
    return to_xlsx(
        organiser_headers(meeting), organiser_rows(meeting, participants), title="Participants"
    )


def public_csv(meeting: Meeting) -> bytes:
    return to_csv(PUBLIC_HEADERS, public_rows(meeting))
