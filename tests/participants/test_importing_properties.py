"""Property-based tests of the invitee import: whatever the file, it imports cleanly or is
refused with errors that name a row of the file (or the file as a whole), and a refused
file writes nothing."""

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from participants.importing import COLUMNS, ImportRejected, import_participants
from participants.models import Participant
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PROPERTIES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

HEADERS = [column.name for column in COLUMNS] + ["Family_Name", "E-mail", "notes", "", "role"]
VALID = {
    "given name": st.sampled_from(["Ama", "Kofi", "Zoë", "李"]),
    "family name": st.sampled_from(["Mensah", "Boateng", "N'Dour"]),
    "email": st.from_regex(r"[a-z]{1,8}@example\.org", fullmatch=True),
    "role": st.sampled_from(["expert", "Observer", "UN Secretariat", "government"]),
    "country": st.sampled_from(["GH", "GHA", "Ghana", "kenya", ""]),
    "nationality": st.sampled_from(["GH", "FR", ""]),
    "gender": st.sampled_from(["female", "M", "", "prefer not to say"]),
    "funded": st.sampled_from(["yes", "no", "1", ""]),
}
ANY_TEXT = st.text(max_size=30)


@st.composite
def tables(draw):
    """A header of known, aliased, repeated and unknown columns, and rows of mostly-valid cells."""
    headers = draw(
        st.one_of(
            st.just(["given name", "family name", "email", "role", "country", "funded"]),
            st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
        )
    )
    rows = draw(
        st.lists(
            st.tuples(
                *[
                    st.one_of(VALID.get(header, ANY_TEXT), ANY_TEXT)
                    if header in VALID
                    else ANY_TEXT
                    for header in headers
                ]
            ).map(list),
            max_size=6,
        )
    )
    return headers, rows


def as_csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_xlsx(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [headers, *rows]:
        # openpyxl refuses control characters; a spreadsheet program cannot store them either.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check_import(data: bytes, filename: str, last_row: int) -> None:
    meeting = MeetingFactory()
    before = Participant.objects.count()
    try:
        summary = import_participants(meeting=meeting, data=data, filename=filename)
    except ImportRejected as rejected:
        assert rejected.errors
        for error in rejected.errors:
            assert error.message
            assert error.row is None or 1 <= error.row <= last_row, error
            assert str(error)
        assert Participant.objects.count() == before
    else:
        assert summary.created == Participant.objects.filter(meeting=meeting).count()
        assert Participant.objects.count() == before + summary.created


@PROPERTIES
@given(table=tables())
def test_any_csv_imports_cleanly_or_is_refused_by_row_writing_nothing(table):
    headers, rows = table
    check_import(as_csv(headers, rows), "list.csv", last_row=len(rows) + 1)


@PROPERTIES
@given(table=tables())
def test_any_xlsx_imports_cleanly_or_is_refused_by_row_writing_nothing(table):
    headers, rows = table
    check_import(as_xlsx(headers, rows), "list.xlsx", last_row=len(rows) + 1)


@PROPERTIES
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail),
        st.text(max_size=500).map(lambda text: text.encode("utf-16")),
        st.text(max_size=500).map(lambda text: text.encode("latin-1", "replace")),
    ),
    filename=st.sampled_from(["list.csv", "list.xlsx", "list", "list.pdf"]),
)
def test_arbitrary_bytes_never_crash_the_import(data, filename):
    check_import(data, filename, last_row=data.count(b"\n") + 2)
