"""Participant lists as CSV and XLSX: the organisers' full list and the public-safe list.

Every cell that a spreadsheet could run as a formula (starting with =, +, -, @, tab or
carriage return) gets a leading apostrophe, as OWASP's CSV injection guidance advises; the
admin's export goes through ``neutralise_dataset`` for the same reason. Neither list carries
passport numbers or dates of birth: they are not read.
"""

import csv
import datetime as dt
import decimal
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from django.db.models import QuerySet
from django_countries import countries

from agenda.models import Meeting

from .models import Gender, Participant, Role, Status
from .queries import export_values, public_participants

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST_CHARACTERS = frozenset(FORMULA_PREFIXES)
# A text cell starting with none of these is plain text as it stands: the formula characters
# and every character Python counts as space (all below U+3001), which may hide one.
_CHECKED_FIRST_CHARACTERS = _FORMULA_FIRST_CHARACTERS | frozenset(
    character for character in map(chr, range(0x3001)) if character.isspace()
)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def organiser_rows(meeting: Meeting, participants: QuerySet[Participant]) -> Iterator[tuple]:
    """One tuple per person, read as plain values in one query: no model instances, labels
    looked up in maps made once, times in the meeting's wall clock, naive (a spreadsheet date
    holds no zone; the header names it)."""
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
        yield (
            honorific, given, family, email, organisation, job_title,
            names.get(country, country), names.get(nationality, nationality),
            genders.get(gender, gender), roles.get(role, role),
            "yes" if funded else "no", statuses.get(status, status),
            invited_at and invited_at.astimezone(zone).replace(tzinfo=None),
            responded_at and responded_at.astimezone(zone).replace(tzinfo=None),
            registered_at and registered_at.astimezone(zone).replace(tzinfo=None),
        )  # fmt: skip


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
    """A cell as CSV text: dates formatted, formulas neutralised."""
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
    # Most cells are plain text whose first character needs no second look: keep those
    # without a call (75,000 cells in a 5,000-row list); the rest go through _csv_cell.
    checked = _CHECKED_FIRST_CHARACTERS
    writer.writerows(
        [
            cell if cell.__class__ is str and cell[:1] not in checked else _csv_cell(cell)
            for cell in row
        ]
        for row in rows
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Spreadsheet number formats for real date cells (sortable and filterable as dates).
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
_XLSX_MAX_WIDTH = 60
_XLSX_MAX_TEXT = 32_767  # Excel's limit on one cell's text


def _xlsx_text(cell: str) -> str:
    if not cell.isprintable():  # rare: test it before paying for the regexes
        # A cell's line break is a newline in XLSX (a carriage return would be stored
        # escaped); strip what XLSX cannot hold, then neutralise what that uncovered.
        cell = _ILLEGAL_XML.sub("", _LINE_BREAK.sub("\n", cell))
    return neutralise(cell)[:_XLSX_MAX_TEXT] if cell else cell


def _xlsx_value(cell: object) -> object:
    """Any cell but a plain ``str``: dates and numbers stay typed, the rest becomes text."""
    if cell is None or isinstance(cell, bool | int | float | decimal.Decimal | dt.date):
        if isinstance(cell, dt.datetime) and cell.tzinfo is not None:
            return cell.replace(tzinfo=None)  # the header names the zone
        return cell
    return _xlsx_text(str(cell))


def _column_widths(keys: Sequence[str], rows: list[list[object]]) -> tuple[list[int], set[int]]:
    """Each column as wide as its longest line (dates as wide as their format), and the
    columns that hold dates without times."""
    widths, date_columns = [len(key) for key in keys], set()
    for index, column in enumerate(itertools.islice(zip(*rows, strict=False), len(keys))):
        texts = [cell for cell in column if cell.__class__ is str]
        width = max(map(len, texts), default=0)
        if width and any("\n" in text for text in texts):
            width = max(len(line) for text in texts for line in text.splitlines())
        if len(texts) < len(column):  # dates, numbers or empty cells as well
            others = [cell for cell in column if cell.__class__ is not str and cell is not None]
            datetimes = sum(isinstance(cell, dt.datetime) for cell in others)
            dates = sum(isinstance(cell, dt.date) for cell in others) - datetimes
            if datetimes:
                width = max(width, len(XLSX_DATETIME_FORMAT))
            elif dates:
                width = max(width, len(XLSX_DATE_FORMAT))
                date_columns.add(index)
            width = max(
                [width, *(len(str(cell)) for cell in others if not isinstance(cell, dt.date))]
            )
        widths[index] = max(widths[index], width)
    return widths, date_columns


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """A one-sheet workbook ready to work in: a bold, frozen header with a filter, columns as
    wide as their content, dates as real dates; text cells stay text, formulas neutralised.

    rustpy-xlsxwriter (rust_xlsxwriter under Python) writes the sheet in compiled code, a
    fraction of XlsxWriter's time per cell (docs/performance.md); it never reads a string
    as a formula, URL or number. It takes rows as dicts keyed by the header, in order.
    """
    from rustpy_xlsxwriter import Format, write_worksheet  # noqa: PLC0415 (only exports)

    keys = [str(header) for header in headers]
    if len(set(keys)) < len(keys):
        raise ValueError(f"Column names must differ: {keys}")
    cleaned = [
        [_xlsx_text(cell) if cell.__class__ is str else _xlsx_value(cell) for cell in row]
        for row in rows
    ]
    widths, date_columns = _column_widths(keys, cleaned)
    date_format = Format().set_num_format(XLSX_DATE_FORMAT)
    buffer = io.BytesIO()
    write_worksheet(
        # No rows: one empty record, so that the header is written.
        [dict(zip(keys, row, strict=False)) for row in cleaned] or [dict.fromkeys(keys)],
        buffer,
        sheet_name=_sheet_title(title),
        bold_headers=True,
        freeze_row=1,
        autofilter=True,
        datetime_format=XLSX_DATETIME_FORMAT,
        column_widths=[min(width + 2, _XLSX_MAX_WIDTH) for width in widths],
        column_formats={keys[index]: date_format for index in date_columns},
    )
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
