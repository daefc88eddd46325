"""Formula cells, also behind leading spaces and line breaks, in every export: the
organisers' CSV and XLSX and the public list (the admin's export uses the same
``neutralise``, tested in tests/participants/test_exports.py)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from participants.models import Status
from tests.factories import ParticipantFactory, RegistrationFactory, UserFactory
from tests.participants.support import future_meeting

pytestmark = pytest.mark.django_db

PAYLOADS = [" =1+1", "\n=1+1", " \n @SUM(A1)", "\t+1", "  -2+3", "\u00a0=HYPERLINK(1)"]


@pytest.fixture
def meeting():
    meeting = future_meeting(slug="accra")
    for number, payload in enumerate(PAYLOADS):
        person = ParticipantFactory(
            meeting=meeting,
            status=Status.REGISTERED,
            family_name=f"F{number}",
            organisation=payload,
        )
        RegistrationFactory(participant=person, consent_listed=True)
    return meeting


def starts_as_text(value: str) -> bool:
    return value.startswith("'")


def test_organiser_exports_neutralise_formulas_behind_whitespace(client, meeting):
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    client.force_login(organiser)

    text = client.get(reverse("participants:export_csv", args=[meeting.slug])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))[1:]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("participants:export_xlsx", args=[meeting.slug])).content)
    )
    cells = [row[4].value for row in book.active.iter_rows(min_row=2)]

    assert [starts_as_text(row[4]) for row in rows] == [True] * len(PAYLOADS)
    assert [starts_as_text(cell) for cell in cells] == [True] * len(PAYLOADS)


def test_public_list_neutralises_formulas_behind_whitespace(client, meeting):
    public = client.get(reverse("participants:public_list_csv", args=[meeting.slug])).content
    rows = list(csv.reader(io.StringIO(public.decode("utf-8-sig"))))[1:]
    assert [starts_as_text(row[1]) for row in rows] == [True] * len(PAYLOADS)
