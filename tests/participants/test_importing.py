import io
import zipfile

import openpyxl
import pytest

from participants.importing import (
    ImportRejected,
    RowError,
    import_participants,
    read_table,
)
from participants.models import Participant, Region, Role, Status
from participants.regions import REGION_BY_COUNTRY, region_for
from tests.factories import MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "honorific,given name,family name,email,organisation,job title,country,nationality,"
    "gender,role,funded\n"
)


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rejected(call) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        call()
    return [str(error) for error in caught.value.errors]


def test_import_creates_participants_with_parsed_values():
    meeting = MeetingFactory()
    data = csv_bytes(
        "Dr.,Ama,Mensah,ama@example.org,University of Ghana,Professor,Ghana,GHA,F,Expert,yes",
        ",Jean,Dupont,jean@example.org,UN DESA,Officer,FRA,fr,male,un_secretariat,0",
        "Ms,Lin,Wei,lin@example.org,ESCAP,,Thailand,CN,,Regional Commission,",
    )

    summary = import_participants(meeting=meeting, data=data, filename="list.csv")

    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    ama, jean, lin = (
        Participant.objects.get(email=email)
        for email in ("ama@example.org", "jean@example.org", "lin@example.org")
    )
    assert (ama.honorific, ama.country.code, ama.nationality.code, ama.gender) == (
        "Dr.",
        "GH",
        "GH",
        "female",
    )
    assert (ama.role, ama.funded, ama.region, ama.status) == (
        Role.EXPERT,
        True,
        Region.AFRICA,
        Status.NOT_INVITED,
    )
    assert (jean.role, jean.funded, jean.region, jean.country.code) == (
        Role.UN_SECRETARIAT,
        False,
        Region.EUROPE,
        "FR",
    )
    assert (lin.role, lin.region, lin.gender, lin.funded) == (
        Role.REGIONAL_COMMISSION,
        Region.ASIA,
        "",
        False,
    )


def test_import_headers_tolerate_case_spaces_and_underscores():
    meeting = MeetingFactory()
    data = csv_bytes(
        "Ama,Mensah,AMA@example.org,Observer",
        header=" Given_Name , FAMILY NAME,E-mail,Role \n",
    )

    import_participants(meeting=meeting, data=data)

    participant = Participant.objects.get(meeting=meeting)
    assert (participant.given_name, participant.email, participant.role) == (
        "Ama",
        "AMA@example.org",
        Role.OBSERVER,
    )


@pytest.mark.parametrize(
    ("spelling", "role"),
    [
        ("Expert", Role.EXPERT),
        ("expert", Role.EXPERT),
        ("UN Secretariat", Role.UN_SECRETARIAT),
        ("un_secretariat", Role.UN_SECRETARIAT),
        ("Observer", Role.OBSERVER),
        ("Discussant", Role.OBSERVER),
        ("Government official", Role.GOVERNMENT),
        ("consultant", Role.CONSULTANT),
        ("Facilitator", Role.CONSULTANT),
        ("REGIONAL_COMMISSION", Role.REGIONAL_COMMISSION),
    ],
)
def test_import_role_accepts_labels_and_codes(spelling, role):
    meeting = MeetingFactory()

    import_participants(meeting=meeting, data=csv_bytes(f",A,B,a@example.org,,,,,,{spelling},"))

    assert Participant.objects.get(meeting=meeting).role == role


def test_reimport_updates_without_duplicating_and_keeps_status():
    meeting = MeetingFactory()
    ParticipantFactory(
        meeting=meeting,
        email="Ama@Example.org",
        given_name="Ama",
        family_name="Mensa",
        status=Status.ACCEPTED,
        country="GH",
        region="africa",
    )
    data = csv_bytes(
        "Dr.,Ama,Mensah,ama@example.ORG,University of Ghana,Professor,Kenya,GH,female,expert,yes",
        "Mr,Kofi,Annan,kofi@example.org,,,GH,GH,male,observer,no",
    )

    first = import_participants(meeting=meeting, data=data)
    second = import_participants(meeting=meeting, data=data)

    assert (first.created, first.updated, first.unchanged) == (1, 1, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Participant.objects.filter(meeting=meeting).count() == 2
    ama = Participant.objects.get(meeting=meeting, email__iexact="ama@example.org")
    assert (ama.family_name, ama.country.code, ama.region, ama.status, ama.email) == (
        "Mensah",
        "KE",
        Region.AFRICA,
        Status.ACCEPTED,
        "Ama@Example.org",
    )


def test_import_into_one_meeting_leaves_other_meetings_alone():
    meeting, other = MeetingFactory(), MeetingFactory()
    ParticipantFactory(meeting=other, email="ama@example.org", family_name="Other")

    import_participants(meeting=meeting, data=csv_bytes(",Ama,Mensah,ama@example.org,,,,,,expert,"))

    assert Participant.objects.get(meeting=other).family_name == "Other"
    assert Participant.objects.get(meeting=meeting).family_name == "Mensah"


def test_dry_run_reports_and_writes_nothing():
    meeting = MeetingFactory()

    summary = import_participants(
        meeting=meeting, data=csv_bytes(",Ama,Mensah,ama@example.org,,,,,,expert,"), dry_run=True
    )

    assert (summary.created, summary.dry_run) == (1, True)
    assert Participant.objects.count() == 0


def test_import_xlsx_with_numbers_and_booleans():
    meeting = MeetingFactory()
    data = xlsx_bytes(
        [
            ["Given name", "Family name", "Email", "Role", "Funded", "Country"],
            ["Ama", "Mensah", "ama@example.org", "Expert", True, "GH"],
            ["Kofi", "Boateng", "kofi@example.org", "Observer", 0, "Côte d'Ivoire"],
        ]
    )

    summary = import_participants(meeting=meeting, data=data, filename="list.xlsx")

    assert summary.created == 2
    assert list(
        Participant.objects.order_by("given_name").values_list("given_name", "funded", "country")
    ) == [("Ama", True, "GH"), ("Kofi", False, "CI")]


def test_xlsx_errors_name_the_sheet_rows_even_below_empty_rows():
    meeting = MeetingFactory()
    data = xlsx_bytes(
        [
            [],
            ["Given name", "Family name", "Email", "Role"],
            ["Ama", "Mensah", "ama@example.org", "Expert"],
            ["Kofi", "Boateng", "not-an-email", "Expert"],
        ]
    )

    errors = rejected(lambda: import_participants(meeting=meeting, data=data, filename="l.xlsx"))

    assert errors == ["Row 4, column email: 'not-an-email' is not a valid email address."]


def test_import_accepts_utf8_bom_and_semicolons():
    meeting = MeetingFactory()
    data = "\ufeffgiven name;family name;email;role\nJosé;Núñez;jose@example.org;expert\n"

    import_participants(meeting=meeting, data=data.encode("utf-8"))

    assert Participant.objects.get(meeting=meeting).given_name == "José"


def test_import_accepts_utf16_with_bom():
    meeting = MeetingFactory()
    data = "given name\tfamily name\temail\trole\nJosé\tNúñez\tjose@example.org\texpert\n"

    import_participants(meeting=meeting, data=data.encode("utf-16"))

    assert Participant.objects.get(meeting=meeting).family_name == "Núñez"


# Bad input: every error reported with row and column, and nothing written ------------------


def test_missing_required_columns_are_named():
    meeting = MeetingFactory()
    data = csv_bytes("Ama,ama@example.org", header="given name,email\n")

    errors = rejected(lambda: import_participants(meeting=meeting, data=data))

    assert errors == [
        "Row 1, column family name, role: required columns missing: family name, role "
        "(found: given name, email)."
    ]
    assert Participant.objects.count() == 0


def test_every_bad_row_is_reported_and_nothing_written():
    meeting = MeetingFactory()
    data = csv_bytes(
        ",Ama,Mensah,ama@example.org,,,Ghana,,,expert,yes",
        ",Kofi,Boateng,kofi@example,,,Ghana,,,astronaut,yes",
        ",,Annan,annan@example.org,,,Atlantis,,,observer,maybe",
    )

    errors = rejected(lambda: import_participants(meeting=meeting, data=data))

    assert errors == [
        "Row 3, column email: 'kofi@example' is not a valid email address.",
        "Row 3, column role: 'astronaut' is not a known role (use one of: Expert, "
        "UN Secretariat, Regional Commission, Government official, Consultant / facilitator, "
        "Observer / discussant).",
        "Row 4, column given name: is required.",
        "Row 4, column country: 'Atlantis' is not a known country (use an ISO code such as GH "
        "or GHA, or the English name such as Ghana).",
        "Row 4, column funded: 'maybe' is not yes or no (use yes/no, true/false, 1/0 or empty).",
    ]
    assert Participant.objects.count() == 0


def test_one_bad_row_leaves_existing_participants_unchanged():
    meeting = MeetingFactory()
    ParticipantFactory(meeting=meeting, email="ama@example.org", family_name="Before")
    data = csv_bytes(
        ",Ama,After,ama@example.org,,,,,,expert,",
        ",Kofi,Boateng,kofi@example.org,,,,,,spaceman,",
    )

    rejected(lambda: import_participants(meeting=meeting, data=data))

    assert list(Participant.objects.values_list("family_name", flat=True)) == ["Before"]


def test_duplicate_emails_in_any_case_are_rejected():
    meeting = MeetingFactory()
    data = csv_bytes(
        ",Ama,Mensah,ama@example.org,,,,,,expert,",
        ",Ama,Mensah,AMA@Example.Org,,,,,,expert,",
    )

    errors = rejected(lambda: import_participants(meeting=meeting, data=data))

    assert errors == [
        "Row 3, column email: 'AMA@Example.Org' repeats the email of row 2 "
        "(emails are compared without regard to case)."
    ]
    assert Participant.objects.count() == 0


def test_latin1_file_is_rejected_with_the_line_named():
    meeting = MeetingFactory()
    data = "given name,family name,email,role\nJosé,Núñez,jose@example.org,expert\n"

    errors = rejected(
        lambda: import_participants(meeting=meeting, data=data.encode("latin-1"), filename="a.csv")
    )

    assert errors == [
        "Row 2 is not UTF-8 text (byte 0xE9 cannot be read; the file was probably saved as "
        "Latin-1 or Windows-1252). Save it as 'CSV UTF-8' from the spreadsheet program, or "
        "upload it as XLSX."
    ]
    assert Participant.objects.count() == 0


def test_utf16_without_bom_is_rejected_clearly():
    meeting = MeetingFactory()
    data = "given name,family name,email,role\nAma,Mensah,ama@example.org,expert\n"

    errors = rejected(lambda: import_participants(meeting=meeting, data=data.encode("utf-16-le")))

    assert errors == [
        "This file is not UTF-8 CSV text (it holds NUL bytes, as UTF-16 text without a "
        "byte-order mark does). Save it as 'CSV UTF-8' from the spreadsheet program, or "
        "upload it as XLSX."
    ]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b",,,\n,,\n"])
def test_empty_file_is_rejected(data):
    meeting = MeetingFactory()

    errors = rejected(lambda: import_participants(meeting=meeting, data=data, filename="a.csv"))

    assert errors == ["The file is empty: it has no header row and no participants."]
    assert Participant.objects.count() == 0


def test_header_without_rows_is_rejected():
    meeting = MeetingFactory()

    errors = rejected(lambda: import_participants(meeting=meeting, data=HEADER.encode()))

    assert errors == ["The file has a header row but no participants below it."]


def test_png_named_xlsx_is_not_a_spreadsheet():
    meeting = MeetingFactory()
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

    errors = rejected(lambda: import_participants(meeting=meeting, data=png, filename="list.xlsx"))

    assert errors == [
        "This file is image/png (png), not a spreadsheet: upload the list as CSV or XLSX."
    ]
    assert Participant.objects.count() == 0


def test_text_named_xlsx_is_rejected():
    errors = rejected(lambda: read_table(b"just some words", "list.xlsx"))

    assert errors == [
        "This file is named like a workbook but is not a readable XLSX file: save it again "
        "from the spreadsheet program as .xlsx, or as CSV."
    ]


def test_damaged_zip_is_rejected():
    errors = rejected(lambda: read_table(b"PK\x03\x04" + b"\x00" * 100, "list.xlsx"))

    assert errors == ["This file is damaged: it is not a readable XLSX workbook."]


def test_xlsx_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (60 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 200_000

    errors = rejected(lambda: read_table(data, "bomb.xlsx"))

    assert errors == [
        "This workbook unpacks to more than 50 MB and is refused; a participant list is far "
        "smaller."
    ]


def test_xlsx_entity_expansion_is_refused():
    source = io.BytesIO(xlsx_bytes([["given name", "family name", "email", "role"]]))
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    target = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as bomb:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = laughs
            bomb.writestr(item, content)

    errors = rejected(lambda: read_table(target.getvalue(), "laughs.xlsx"))

    assert len(errors) == 1
    assert errors[0].startswith("This file is not a readable XLSX workbook (")


def test_row_error_text_names_row_and_column():
    assert str(RowError(7, "email", "is required.")) == "Row 7, column email: is required."


def test_every_country_has_a_region_except_antarctica():
    from django_countries import countries

    assert [country.code for country in countries if not region_for(country.code)] == ["AQ"]
    assert set(REGION_BY_COUNTRY.values()) == {
        Region.AFRICA,
        Region.AMERICAS,
        Region.ASIA,
        Region.EUROPE,
        Region.OCEANIA,
    }


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_import_keeps_doubled_quotes_and_delimiters_inside_quoted_names(delimiter):
    meeting = MeetingFactory()
    header = delimiter.join(["given name", "family name", "email", "organisation", "role"])
    row = delimiter.join(
        ["Seán", '"O""Brien"', "sean@example.org", f'"Trinity College{delimiter} Dublin"', "expert"]
    )

    import_participants(meeting=meeting, data=f"{header}\n{row}\n".encode())

    participant = Participant.objects.get(meeting=meeting)
    assert (participant.family_name, participant.organisation) == (
        'O"Brien',
        f"Trinity College{delimiter} Dublin",
    )


def test_csv_row_numbers_count_rows_not_lines_when_a_cell_holds_a_line_break():
    meeting = MeetingFactory()
    data = (
        b'given name,family name,email,role\nAma,"Mensah\nSerwaa",ama@example.org,expert\n'
        b"Kofi,Boateng,,expert\n"
    )

    with pytest.raises(ImportRejected) as rejected:
        import_participants(meeting=meeting, data=data, filename="list.csv")

    assert [str(error) for error in rejected.value.errors] == ["Row 3, column email: is required."]
    assert Participant.objects.count() == 0
