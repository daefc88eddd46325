"""Importing the invitee spreadsheet: read, validate every row, then write all or nothing.

The organisers' list arrives as CSV or XLSX with the columns honorific, given name, family
name, email, organisation, job title, country, nationality, gender, role, funded. Email is
the key within a meeting (case-insensitive): importing the same file again updates rows and
never duplicates them, and leaves each participant's status alone.

Every bad row is reported with its row number as the spreadsheet shows it (the header is
row 1), its column and the reason. One bad row and nothing is written.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries
from simple_history.utils import bulk_update_with_history

from agenda.models import Meeting
from agenda.text import strip_invisible

from .demonyms import ambiguous_countries, country_for_adjective
from .models import Gender, Participant, Role, Status
from .regions import region_for
from .row_insert import insert_rows

# Limits that keep a hostile or mistaken upload from exhausting the server.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
BATCH_SIZE = 500
# Rows a preview lists one by one; the others are counted (a page of 5,000 rows helps
# nobody and takes seconds to render).
PREVIEW_ROWS = 100


@dataclass(frozen=True)
class Column:
    """One column of the spreadsheet and the Participant field it fills."""

    name: str
    field: str
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("honorific", "honorific", aliases=("salutation", "title prefix")),
    Column("given name", "given_name", True, ("first name", "forename", "given names")),
    Column("family name", "family_name", True, ("last name", "surname")),
    Column("email", "email", True, ("e mail", "email address", "e mail address")),
    Column("organisation", "organisation", aliases=("organization", "institution")),
    Column("job title", "job_title", aliases=("position", "function")),
    Column("country", "country"),
    Column("nationality", "nationality"),
    Column("gender", "gender", aliases=("sex",)),
    Column("role", "role", True, ("category", "participant role")),
    Column("funded", "funded", aliases=("un funded", "funding")),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED_COLUMNS = tuple(column for column in COLUMNS if column.required)
# The fields whose stored value is compared and rewritten on re-import (region follows country).
TEXT_FIELDS = ("honorific", "given_name", "family_name", "organisation", "job_title")


@dataclass(frozen=True)
class RowError:
    """A reason the file cannot be imported; ``row`` is None for the file as a whole."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return f"Row {self.row}, column {self.column}: {self.message}"


class ImportRejected(Exception):
    """The file cannot be imported; ``errors`` lists every reason. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


@dataclass
class Table:
    """Cells as text: ``headers`` from row 1, then ``(row_number, cells)`` for each data row."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass
class ParsedRow:
    number: int
    values: dict[str, object]


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    # Dry runs only: each row's number, what happens to it ("new", "update" or "skip"),
    # the participant as it will be, and the fields that change.
    outcomes: list[tuple[int, str, Participant, list[str]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        text = (
            f"{verb} {self.total} rows: "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged."
        )
        if self.ignored_columns:
            text += " Ignored columns: " + ", ".join(self.ignored_columns) + "."
        return text


# Reading the file --------------------------------------------------------------------------


def _file_error(message: str) -> ImportRejected:
    return ImportRejected([RowError(None, "", message)])


def read_table(data: bytes, filename: str = "") -> Table:
    """Read a CSV or XLSX file into text cells, judging the format by content, not name."""
    if not data or not data.strip():
        raise _file_error("The file is empty: it has no header row and no participants.")
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into parts."
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    kind = filetype.guess(data)
    if kind is not None:
        raise _file_error(
            f"This file is {kind.mime} ({kind.extension}), not a spreadsheet: "
            "upload the list as CSV or XLSX."
        )
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise _file_error(
            "This file is named like a workbook but is not a readable XLSX file: "
            "save it again from the spreadsheet program as .xlsx, or as CSV."
        )
    return _read_csv(data)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _file_error(
                "The file starts like UTF-16 text but cannot be read as such."
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _file_error(
            f"Row {line} is not UTF-8 text (byte 0x{data[exc.start]:02X} cannot be read; "
            "the file was probably saved as Latin-1 or Windows-1252). Save it as "
            "'CSV UTF-8' from the spreadsheet program, or upload it as XLSX."
        ) from exc


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise _file_error(
            "This file is not UTF-8 CSV text (it holds NUL bytes, as UTF-16 text without a "
            "byte-order mark does). Save it as 'CSV UTF-8' from the spreadsheet program, or "
            "upload it as XLSX."
        )
    # Only the delimiter is guessed, from the header line; quoting stays the standard one
    # (a doubled quote inside quotes is one quote), which a header alone cannot show.
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        # Rows are numbered as a spreadsheet shows them: a quoted cell holding a line break
        # spans two lines of the file but is one row.
        lines = list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise _file_error(f"Row {reader.line_num + 1} cannot be read as CSV: {exc}.") from exc
    return _table_from(lines)


def _read_xlsx(data: bytes) -> Table:
    """The first sheet's cells, read by python-calamine (Rust's calamine): a twentieth of
    openpyxl's time at 5,000 rows. Its XML reader expands no entity a DTD declares (a
    "billion laughs" sheet is an error), and the archive's unpacked size is capped first."""
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 (only imports need it)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _file_error("This file is damaged: it is not a readable XLSX workbook.") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise _file_error(
            f"This workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB "
            "and is refused; a participant list is far smaller."
        )
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        # From row 1 even when the first rows are empty, so rows keep the sheet's numbers.
        values = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + 2)
    except Exception as exc:  # calamine raises several kinds on bad files
        raise _file_error(
            f"This file is not a readable XLSX workbook ({type(exc).__name__})."
        ) from exc
    if len(values) > MAX_ROWS + 1:
        raise _file_error(f"The sheet has more than {MAX_ROWS} rows; split it into parts.")
    return _table_from(
        (number, [_cell_text(value) for value in row]) for number, row in enumerate(values, start=1)
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _table_from(lines: Iterable[tuple[int, list[str]]]) -> Table:
    lines = [(number, cells) for number, cells in lines if any(cell.strip() for cell in cells)]
    if not lines:
        raise _file_error("The file is empty: it has no header row and no participants.")
    (_, headers), rows = lines[0], lines[1:]
    if len(rows) > MAX_ROWS:
        raise _file_error(f"The file has more than {MAX_ROWS} rows; split it into parts.")
    return Table(headers=headers, rows=rows)


# Understanding the cells -------------------------------------------------------------------


def _key(text: str) -> str:
    """Case, spaces, underscores and hyphens do not matter: 'Family_Name' is 'family name'."""
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().lower()


_HEADER_LOOKUP = {key: column for column in COLUMNS for key in (column.name, *column.aliases)}


def column_for_header(header: object) -> Column | None:
    """The column a header names, tolerant of case, spaces and underscores; None if unknown."""
    return _HEADER_LOOKUP.get(_key(str(header or "")))


_ROLE_LOOKUP: dict[str, str] = {}
for _role in Role:
    _ROLE_LOOKUP[_key(_role.value)] = _role.value
    _ROLE_LOOKUP[_key(_role.label)] = _role.value
    for _part in str(_role.label).split("/"):
        _ROLE_LOOKUP[_key(_part)] = _role.value
_ROLE_LOOKUP.update(
    {
        "un": Role.UN_SECRETARIAT,
        "un staff": Role.UN_SECRETARIAT,
        "un desa": Role.UN_SECRETARIAT,
        "secretariat": Role.UN_SECRETARIAT,
        "united nations secretariat": Role.UN_SECRETARIAT,
        "regional commissions": Role.REGIONAL_COMMISSION,
        "government": Role.GOVERNMENT,
        "government officials": Role.GOVERNMENT,
        "ministry": Role.GOVERNMENT,
        "experts": Role.EXPERT,
        "facilitator": Role.CONSULTANT,
        "consultant facilitator": Role.CONSULTANT,
        "observers": Role.OBSERVER,
        "discussants": Role.OBSERVER,
        "observer discussant": Role.OBSERVER,
    }
)

_GENDER_LOOKUP = {
    "female": Gender.FEMALE, "f": Gender.FEMALE, "woman": Gender.FEMALE, "w": Gender.FEMALE,
    "male": Gender.MALE, "m": Gender.MALE, "man": Gender.MALE,
    "other": Gender.OTHER, "another gender": Gender.OTHER, "non binary": Gender.OTHER,
    "": Gender.UNDISCLOSED, "not stated": Gender.UNDISCLOSED,
    "prefer not to say": Gender.UNDISCLOSED, "undisclosed": Gender.UNDISCLOSED,
}  # fmt: skip

_BOOLEAN_LOOKUP = {
    "yes": True, "y": True, "true": True, "1": True, "x": True,
    "no": False, "n": False, "false": False, "0": False, "": False,
}  # fmt: skip

_COUNTRY_ALIASES = {
    "united states": "US", "uk": "GB", "great britain": "GB", "england": "GB",
    "cape verde": "CV", "republic of korea": "KR", "the gambia": "GM",
    "ivory coast": "CI", "cote d'ivoire": "CI", "dr congo": "CD", "drc": "CD",
}  # fmt: skip


def parse_role(value: str) -> str:
    """A role code from a label or code ('UN Secretariat', 'un_secretariat', 'Observer')."""
    role = _ROLE_LOOKUP.get(_key(value))
    if role is None:
        known = ", ".join(str(role.label) for role in Role)
        raise ValueError(f"'{value}' is not a known role (use one of: {known}).")
    return str(role)


def parse_country(value: str) -> str:
    """An ISO alpha-2 code from an alpha-2 or alpha-3 code or an English name; '' if blank."""
    text = " ".join(str(value).split())
    if not text:
        return ""
    code = ""
    if len(text) in (2, 3) and text.isalpha():
        code = countries.alpha2(text)
    code = code or countries.by_name(text) or _COUNTRY_ALIASES.get(text.lower(), "")
    if not code:
        raise ValueError(
            f"'{value}' is not a known country (use an ISO code such as GH or GHA, "
            "or the English name such as Ghana)."
        )
    return code


def parse_nationality(value: str) -> str:
    """An ISO alpha-2 code from a code, an English country name or a nationality adjective
    ('Chilean', 'Ghanaian'); '' if blank."""
    text = " ".join(str(value).split())
    if not text:
        return ""
    try:
        return parse_country(text)
    except ValueError:
        pass
    code = country_for_adjective(text)
    if code:
        return code
    shared = ambiguous_countries(text)
    if shared:
        names = " or ".join(f"{countries.name(code)} ({code})" for code in shared)
        raise ValueError(f"'{value}' could mean {names}: give the country's name or code.")
    raise ValueError(
        f"'{value}' is not a known nationality (use an adjective such as Ghanaian, "
        "an ISO code such as GH or GHA, or the country's English name such as Ghana)."
    )


def parse_gender(value: str) -> str:
    gender = _GENDER_LOOKUP.get(_key(value))
    if gender is None:
        raise ValueError(f"'{value}' is not understood (use female, male, other or leave empty).")
    return str(gender)


def parse_funded(value: str) -> bool:
    funded = _BOOLEAN_LOOKUP.get(_key(value))
    if funded is None:
        raise ValueError(f"'{value}' is not yes or no (use yes/no, true/false, 1/0 or empty).")
    return funded


# Django's email validator reaches its two patterns through lazy objects, which cost a fifth
# of validating a 5,000-row list; compiled here once. An address both accept is one the
# validator accepts; any other goes to the validator itself, so the verdict is always Django's.
_EMAIL_USER = re.compile(validate_email.user_regex.pattern, validate_email.user_regex.flags)
_EMAIL_DOMAIN = re.compile(validate_email.domain_regex.pattern, validate_email.domain_regex.flags)


def _plainly_valid_email(email: str) -> bool:
    user, at, domain = email.rpartition("@")
    return bool(
        at and len(email) <= 320 and _EMAIL_USER.match(user) and _EMAIL_DOMAIN.match(domain)
    )


def parse_email(value: str) -> str:
    email = str(value).strip()
    if not email:
        raise ValueError("is required.")
    if _plainly_valid_email(email):
        return email
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"'{email}' is not a valid email address.") from None
    return email


_PARSERS = {
    "email": parse_email,
    "role": parse_role,
    "country": parse_country,
    "nationality": parse_nationality,
    "gender": parse_gender,
    "funded": parse_funded,
}
_FEW_VALUES = frozenset({"role", "country", "nationality", "gender", "funded"})
_MAX_LENGTHS = {
    name: Participant._meta.get_field(name).max_length for name in (*TEXT_FIELDS, "email")
}


def _map_headers(headers: Sequence[str]) -> tuple[dict[int, Column], list[str], list[RowError]]:
    """Which column index fills which field; ignored headers; errors for the header row."""
    by_index: dict[int, Column] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = _HEADER_LOOKUP.get(_key(header))
        if column is None:
            if str(header).strip():
                ignored.append(str(header).strip())
            continue
        if column.field in seen:
            errors.append(
                RowError(1, header, f"the column '{column.name}' appears twice in the header.")
            )
            continue
        seen[column.field] = index
        by_index[index] = column
    missing = [column.name for column in REQUIRED_COLUMNS if column.field not in seen]
    if missing:
        found = ", ".join(str(header) for header in headers if str(header).strip()) or "none"
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                f"required column{'s' if len(missing) > 1 else ''} missing: "
                f"{', '.join(missing)} (found: {found}).",
            )
        )
    return by_index, ignored, errors


def validate_table(table: Table) -> tuple[list[ParsedRow], list[str]]:
    """Parse every row; raise ImportRejected listing every error in the whole file."""
    by_index, ignored, errors = _map_headers(table.headers)
    if errors:
        raise ImportRejected(errors)
    if not table.rows:
        raise _file_error("The file has a header row but no participants below it.")
    parsed: list[ParsedRow] = []
    first_row_of_email: dict[str, int] = {}
    # Countries, roles, genders repeat down a list; each distinct cell is parsed once
    # (a country lookup costs more than the rest of the row at 5,000 rows).
    parsed_before: dict[tuple[str, str], object] = {}
    for number, cells in table.rows:
        values: dict[str, object] = {}
        for index, column in by_index.items():
            raw = cells[index] if index < len(cells) else ""
            raw = "" if raw is None else str(raw)
            parser = _PARSERS.get(column.field)
            try:
                if parser is None:
                    value = strip_invisible(raw).strip()
                elif column.field in _FEW_VALUES:
                    key = (column.field, raw)
                    value = parsed_before[key] if key in parsed_before else parser(raw)
                    parsed_before[key] = value
                else:
                    value = parser(raw)
            except ValueError as exc:
                errors.append(RowError(number, column.name, str(exc)))
                continue
            limit = _MAX_LENGTHS.get(column.field)
            if column.required and value == "":
                errors.append(RowError(number, column.name, "is required."))
            elif limit and len(value) > limit:
                errors.append(RowError(number, column.name, f"is longer than {limit} characters."))
            else:
                values[column.field] = value
        email = values.get("email")
        if email:
            key = str(email).lower()
            if key in first_row_of_email:
                errors.append(
                    RowError(
                        number,
                        "email",
                        f"'{email}' repeats the email of row {first_row_of_email[key]} "
                        "(emails are compared without regard to case).",
                    )
                )
            else:
                first_row_of_email[key] = number
        parsed.append(ParsedRow(number, values))
    if errors:
        raise ImportRejected(errors)
    return parsed, ignored


# Writing -----------------------------------------------------------------------------------


def _apply(participant: Participant, values: dict[str, object]) -> list[str]:
    """Copy the row's values onto the participant; the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if name == "email":
            continue  # the key; its case as first stored is kept
        current = getattr(participant, name)
        if name in ("country", "nationality"):
            current = current.code or ""
        if current != value:
            setattr(participant, name, value)
            changed.append(name)
    if "country" in values:
        region = region_for(str(values["country"]))
        if participant.region != region:
            participant.region = region
            changed.append("region")
    return changed


def _new_row(values: dict[str, object]) -> dict[str, object]:
    """The columns a row fills in a new participant (region follows country)."""
    if "country" not in values:
        return values
    return {**values, "region": region_for(str(values["country"]))}


def _record_created_history(
    meeting: Meeting, emails: list[str], *, at: dt.datetime, reason: str
) -> None:
    """The history rows of the participants just created with these emails, copied by the
    database itself.

    What ``simple_history``'s ``bulk_history_create`` writes (every tracked field, the
    acting user from the request, the reason, type "+"), as INSERT ... SELECT instead of a
    second model instance and a second insert per person. The emails are exactly those
    inserted, and no other participant of the meeting has one of them (email is unique per
    meeting, whatever its case).
    """
    if not emails or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Participant.history.model
    user = history.get_default_history_user(Participant(meeting=meeting))
    quote = connection.ops.quote_name
    tracked = [field.column for field in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    extra_values = [
        history._meta.get_field("history_date").get_db_prep_value(at, connection),
        reason,
        "+",
        getattr(user, "pk", None),
    ]
    # Table and column names come from the models' _meta, never from input.
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(column) for column in (*tracked, *extra))}) "
        f"SELECT {', '.join(quote(column) for column in tracked)}, %s, %s, %s, %s "
        f"FROM {quote(Participant._meta.db_table)} "
        f"WHERE {quote(Participant._meta.get_field('meeting').column)} = %s AND "
        f"{quote(Participant._meta.get_field('email').column)} "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(insert + "= ANY(%s)", [*extra_values, meeting.pk, emails])
            return
        for start in range(0, len(emails), BATCH_SIZE):
            batch = emails[start : start + BATCH_SIZE]
            cursor.execute(
                insert + f"IN ({', '.join(['%s'] * len(batch))})",
                [*extra_values, meeting.pk, *batch],
            )


def import_table(
    *,
    meeting: Meeting,
    table: Table,
    dry_run: bool = False,
    preview_rows: int | None = None,
) -> ImportSummary:
    """Validate every row of ``table`` and write them all to ``meeting``, or nothing.

    Creates participants (status 'not yet invited') and updates existing ones matched by
    email, case-insensitively; never changes a status. Writes in one transaction that locks
    the meeting row, so two imports into one meeting take turns; every created or updated
    participant gets its history row. A dry run writes nothing and lists what each row
    would do in ``outcomes`` (the first ``preview_rows`` rows if given; all are counted).
    Raises ImportRejected with every error if any row is bad; then nothing is written.
    """
    rows, ignored = validate_table(table)
    summary = ImportSummary(ignored_columns=ignored, dry_run=dry_run)
    shown = len(rows) if preview_rows is None else preview_rows
    now = timezone.now()
    with transaction.atomic():
        if not dry_run:
            Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        existing = {
            participant.email.lower(): participant
            for participant in Participant.objects.filter(meeting=meeting)
        }
        to_create: list[dict[str, object]] = []
        to_update: list[Participant] = []
        changed_fields: set[str] = set()
        for row in rows:
            participant = existing.get(str(row.values["email"]).lower())
            if participant is None:
                to_create.append(_new_row(row.values))
                if dry_run and len(summary.outcomes) < shown:
                    person = Participant(meeting=meeting, **to_create[-1])
                    summary.outcomes.append((row.number, "new", person, []))
                continue
            changed = _apply(participant, row.values)
            if changed:
                participant.updated_at = now
                changed_fields.update(changed)
                to_update.append(participant)
            if dry_run and len(summary.outcomes) < shown:
                outcome = "update" if changed else "skip"
                summary.outcomes.append((row.number, outcome, participant, changed))
        summary.created = len(to_create)
        summary.updated = len(to_update)
        summary.unchanged = len(rows) - summary.created - summary.updated
        if dry_run:
            return summary
        template = Participant(meeting=meeting, status=Status.NOT_INVITED, status_changed_at=now)
        insert_rows(template, to_create)
        _record_created_history(
            meeting,
            [str(values["email"]) for values in to_create],
            at=now,
            reason="Imported from the invitee list",
        )
        if to_update:
            # With their history rows (who imported comes from the request, if any).
            bulk_update_with_history(
                to_update,
                Participant,
                sorted(changed_fields | {"updated_at"}),
                batch_size=BATCH_SIZE,
                default_change_reason="Updated from the invitee list",
            )
    return summary


_OUTCOME_WORDS = {"new": "would be created", "update": "would be updated", "skip": "unchanged"}


def describe_outcomes(summary: ImportSummary) -> list[str]:
    """One line per row saying what the import does with it, for a dry run's report."""
    lines = []
    for number, outcome, participant, changed in summary.outcomes:
        line = (
            f"Row {number}: {participant.full_name} <{participant.email}> {_OUTCOME_WORDS[outcome]}"
        )
        if outcome == "new":
            line += f" as {participant.get_role_display()}, not yet invited"
        elif changed:
            labels = [
                COLUMN_BY_FIELD[name].name if name in COLUMN_BY_FIELD else name for name in changed
            ]
            line += f" ({', '.join(labels)} changed)"
        lines.append(line + ".")
    return lines


def import_participants(
    *,
    meeting: Meeting,
    data: bytes,
    filename: str = "",
    dry_run: bool = False,
    preview_rows: int | None = None,
) -> ImportSummary:
    """Import a CSV or XLSX invitee list into ``meeting``: every row or none.

    Reads the file (by content, whatever its name), then behaves as ``import_table``.
    Raises ImportRejected listing every problem, with nothing written.
    """
    return import_table(
        meeting=meeting,
        table=read_table(data, filename),
        dry_run=dry_run,
        preview_rows=preview_rows,
    )
