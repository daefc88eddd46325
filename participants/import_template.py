"""The invitee list's template: the columns the import reads, an example row, and the values
each coded column accepts, as CSV and as XLSX (with the allowed values on a second sheet and
drop-down lists in the first)."""

import io
from dataclasses import dataclass

from django_countries import countries

from .exports import XLSX_CONTENT_TYPE, to_csv
from .importing import COLUMNS
from .models import Gender, Role

HEADERS = [column.name.capitalize() for column in COLUMNS]
EXAMPLE_ROW = [
    "Dr.",
    "Ama",
    "Mensah",
    "ama.mensah@example.org",
    "University of Ghana",
    "Senior Lecturer",
    "Ghana",
    "Ghanaian",
    "Female",
    "Expert",
    "yes",
]
FUNDED_VALUES = ["yes", "no"]


@dataclass(frozen=True)
class AllowedValues:
    roles: list[str]
    genders: list[str]
    funded: list[str]
    countries: list[tuple[str, str]]  # (English name, ISO alpha-2 code)


def allowed_values() -> AllowedValues:
    """What the coded columns accept (the import also takes codes, aliases and, for
    nationality, adjectives such as 'Chilean')."""
    return AllowedValues(
        roles=[str(label) for _, label in Role.choices],
        genders=[str(label) for _, label in Gender.choices if _],
        funded=FUNDED_VALUES,
        countries=[(str(country.name), country.code) for country in countries],
    )


def template_csv() -> bytes:
    return to_csv(HEADERS, [EXAMPLE_ROW])


def template_file(fmt: str) -> tuple[bytes, str, str]:
    """The template as ``fmt`` ("csv" or "xlsx"): its bytes, content type and file name."""
    if fmt == "xlsx":
        return template_xlsx(), XLSX_CONTENT_TYPE, "participants-template.xlsx"
    return template_csv(), "text/csv; charset=utf-8", "participants-template.csv"


def template_xlsx() -> bytes:
    """Sheet 'Participants' (header and example row; role, gender, funded and country offer
    drop-down lists) and sheet 'Allowed values'."""
    from openpyxl import Workbook  # noqa: PLC0415 (slow to import; only downloads need it)
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    allowed = allowed_values()
    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE_ROW)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (header, example) in enumerate(zip(HEADERS, EXAMPLE_ROW, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(len(header), len(example)) + 4
    sheet.freeze_panes = "A2"

    values = book.create_sheet("Allowed values")
    lists = {
        "Role": allowed.roles,
        "Gender": allowed.genders,
        "Funded": allowed.funded,
        "Country": [name for name, _ in allowed.countries],
        "Country code": [code for _, code in allowed.countries],
    }
    for index, (title, items) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        values.cell(row=1, column=index, value=title).font = Font(bold=True)
        for row, item in enumerate(items, start=2):
            values.cell(row=row, column=index, value=item)
        values.column_dimensions[letter].width = max(len(str(item)) for item in [title, *items]) + 2
    values.freeze_panes = "A2"

    # Drop-down lists on the first 2,000 rows; the import still accepts codes and aliases.
    for header, source in (
        ("Role", "A"),
        ("Gender", "B"),
        ("Funded", "C"),
        ("Country", "D"),
        ("Nationality", "D"),
    ):
        count = len(lists["Country" if header == "Nationality" else header])
        column = get_column_letter(HEADERS.index(header) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'Allowed values'!${source}$2:${source}${count + 1}",
            allow_blank=True,
            showErrorMessage=header not in ("Country", "Nationality"),
        )
        validation.add(f"{column}2:{column}2001")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
