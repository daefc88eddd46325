"""The import page's template (CSV, XLSX), its allowed values, and the preselected meeting."""

import csv
import io

import openpyxl
import pytest

from participants.import_template import EXAMPLE_ROW, HEADERS
from participants.importing import import_participants
from participants.models import Participant
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/participants/participant/import/"
CSV_URL = "/admin/participants/participant/import-template.csv"
XLSX_URL = "/admin/participants/participant/import-template.xlsx"


@pytest.fixture
def organiser_client(client):
    meeting = MeetingFactory(slug="accra-2009", title="Practical strategies")
    user = UserFactory(is_staff=True, is_superuser=True)
    meeting.organisers.add(user)
    client.force_login(user)
    client.meeting = meeting
    return client


def test_csv_template_has_the_import_columns_and_an_example_that_imports(organiser_client):
    response = organiser_client.get(CSV_URL)

    assert response["Content-Disposition"] == 'attachment; filename="participants-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [HEADERS, EXAMPLE_ROW]
    summary = import_participants(
        meeting=organiser_client.meeting, data=response.content, filename="t.csv", dry_run=True
    )
    assert (summary.created, summary.ignored_columns) == (1, [])
    assert Participant.objects.count() == 0


def test_xlsx_template_lists_allowed_values_and_imports(organiser_client):
    response = organiser_client.get(XLSX_URL)

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Participants", "Allowed values"]
    sheet, values = book["Participants"], book["Allowed values"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [HEADERS, EXAMPLE_ROW]
    columns = {cells[0].value: [c.value for c in cells[1:] if c.value] for cells in values.columns}
    assert columns["Role"] == [
        "Expert",
        "UN Secretariat",
        "Regional Commission",
        "Government official",
        "Consultant / facilitator",
        "Observer / discussant",
    ]
    assert columns["Gender"] == ["Female", "Male", "Another gender"]
    assert columns["Funded"] == ["yes", "no"]
    assert ("Ghana", "GH") in zip(columns["Country"], columns["Country code"], strict=True)
    assert len(columns["Country"]) == 249
    role_list = next(v for v in sheet.data_validations.dataValidation if "J2" in str(v.sqref))
    assert role_list.formula1 == "'Allowed values'!$A$2:$A$7"
    summary = import_participants(
        meeting=organiser_client.meeting, data=response.content, filename="t.xlsx", dry_run=True
    )
    assert (summary.created, summary.ignored_columns) == (1, [])


def test_import_page_links_the_templates_and_lists_allowed_values(organiser_client):
    page = organiser_client.get(IMPORT_URL).content.decode()

    assert f'<a href="{XLSX_URL}">Excel template (XLSX)</a>' in page
    assert f'<a href="{CSV_URL}">CSV template</a>' in page
    assert "Expert; UN Secretariat; Regional Commission; Government official" in page
    assert "<li>Ghana (GH)</li>" in page


def test_import_page_preselects_the_only_meeting(organiser_client):
    response = organiser_client.get(IMPORT_URL)

    field = response.context["form"]["meeting"]
    assert field.value() == organiser_client.meeting.pk
    assert f'<option value="{organiser_client.meeting.pk}" selected>' in str(field)
    assert "---------" not in str(field)


def test_import_page_leaves_the_choice_to_an_organiser_of_several(organiser_client):
    MeetingFactory(slug="ny-2010")

    field = organiser_client.get(IMPORT_URL).context["form"]["meeting"]

    assert field.value() is None
    assert "---------" in str(field)


def test_templates_need_the_import_permission(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CSV_URL).status_code == 403
    assert client.get(XLSX_URL).status_code == 403
