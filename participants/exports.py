"""Participant lists as CSV and XLSX: the organisers' full list and the public-safe list.

Every cell that a spreadsheet could run as a formula (starting with =, +, -, @, tab or
carriage return) gets a leading apostrophe, as OWASP's CSV injection guidance advises; the
admin's export goes through ``neutralise_dataset`` for the same reason. Neither list carries
passport numbers or dates of birth: they are not read.
"""

import csv
import datetime as dt
import io
import re
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
    """A text cell that a spreadsheet would read as a formula, made plain text.

    Spreadsheets skip leading spaces and line breaks before a formula (" =1+1" and
    "\\n=1+1" are run in some), so the first character after them counts too.
    """
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    if first in _FORMULA_FIRST_CHARACTERS or (
        first.isspace() and value.lstrip()[:1] in _FORMULA_FIRST_CHARACTERS
    ):
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


def _xlsx_text(cell: str) -> str:
    if not cell.isprintable():  # rare: test it before paying for the regexes
        # A cell's line break is a newline in XLSX (a carriage return would be stored
        # escaped); strip what XLSX cannot hold, then neutralise what that uncovered.
        cell = _ILLEGAL_XML.sub("", _LINE_BREAK.sub("\n", cell))
    return neutralise(cell) if cell else cell


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """A one-sheet workbook ready to work in: a bold, frozen header with a filter, columns as
    wide as their content, dates as real dates; text cells stay text.

    XlsxWriter's constant-memory mode writes each row as it comes (a fraction of openpyxl's
    time); turning off its string-to-formula, -URL and -number guesses keeps every text cell
    text, and formulas are neutralised besides.
    """
    import xlsxwriter  # noqa: PLC0415 (only exports need it)

    cleaned = [
        [_xlsx_text(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    ]
    widths = [len(str(header)) for header in headers]
    for row in cleaned:
        for index, cell in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_width(cell))
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    sheet = book.add_worksheet(_sheet_title(title))
    bold = book.add_format({"bold": True})
    datetime_format = book.add_format({"num_format": XLSX_DATETIME_FORMAT})
    date_format = book.add_format({"num_format": XLSX_DATE_FORMAT})
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width + 2, _XLSX_MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(cleaned), max(len(headers), 1) - 1)
    write_string, write = sheet.write_string, sheet.write
    for column, header in enumerate(headers):
        write_string(0, column, str(header), bold)
    for number, row in enumerate(cleaned, start=1):
        for column, cell in enumerate(row):
            if isinstance(cell, str):
                if cell:
                    write_string(number, column, cell)
            elif isinstance(cell, dt.datetime):
                sheet.write_datetime(number, column, cell, datetime_format)
            elif isinstance(cell, dt.date):
                sheet.write_datetime(number, column, cell, date_format)
            elif cell is not None:
                write(number, column, cell)
    book.close()
    return buffer.getvalue()


# Control characters XML 1.0 cannot carry (tab, newline and carriage return it can).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LINE_BREAK = re.compile(r"\r\n?")


def _sheet_title(title: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1"


def participants_csv(meeting: Meeting, participants: QuerySet[Participant]) -> bytes:
    return to_csv(organiser_headers(meeting), organiser_rows(meeting, participants))


def participants_xlsx(meeting: Meeting, participants: QuerySet[Participant]) -> bytes:
    return to_xlsx(
        organiser_headers(meeting), organiser_rows(meeting, participants), title="Participants"
    )


def public_csv(meeting: Meeting) -> bytes:
    return to_csv(PUBLIC_HEADERS, public_rows(meeting))
