"""The visa list: the one export with passport numbers and dates of birth, for organisers."""

import csv
import datetime as dt
import io
import logging

import openpyxl
import pytest
from django.urls import reverse

from logistics import services
from logistics.models import Embassy
from participants.models import Status
from tests.factories import UserFactory

from .support import (
    accra_meeting,
    embassy_for,
    organiser_of,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return accra_meeting()


def _visa_people(meeting, count: int):
    embassy = Embassy.objects.filter(meeting=meeting).first() or embassy_for(meeting)
    people = []
    for index in range(count):
        person = registered(
            meeting,
            email=f"visa{index}@example.org",
            family_name=f"Visa{index:03d}",
            passport_number=f"FX{index:06d}",
        )
        person.registration.date_of_birth = dt.date(1970, 1, 1 + index % 28)
        person.registration.save()
        services.request_letter(participant=person, kind="visa", embassy=embassy)
        people.append(person)
    return people


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_organisers_find_it_on_the_letters_page_and_get_passports_and_birth_dates(client, meeting):
    asked, issued = _visa_people(meeting, 2)
    services.issue_letter(participant=issued, kind="visa", by=None)
    registered(meeting, email="no-visa@example.org", family_name="Noneeded")
    client.force_login(organiser_of(meeting))

    letters = client.get(reverse("logistics:letters", kwargs={"slug": meeting.slug}))
    csv_url = reverse("logistics:visa_csv", kwargs={"slug": meeting.slug})
    assert csv_url in letters.content.decode()

    response = client.get(csv_url)
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = _rows(response)
    assert header[:6] == [
        "Family name", "Given names", "Name as in passport", "Nationality", "Date of birth",
        "Passport number",
    ]  # fmt: skip
    by_name = {row[0]: row for row in rows}
    assert set(by_name) == {"Visa000", "Visa001"}  # not the one who asked for no letter
    assert by_name["Visa000"][4:6] == ["1970-01-01", "FX000000"]
    assert by_name["Visa000"][-1] == "requested, not issued"
    assert by_name["Visa001"][-1].startswith("EGM")


def test_the_xlsx_holds_real_dates(client, meeting):
    _visa_people(meeting, 1)
    client.force_login(organiser_of(meeting))
    response = client.get(reverse("logistics:visa_xlsx", kwargs={"slug": meeting.slug}))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["E2"].value == dt.datetime(1970, 1, 1)
    assert sheet["F2"].value == "FX000000"


def test_nobody_but_the_meetings_organisers_gets_it(client, meeting):
    _visa_people(meeting, 1)
    url = reverse("logistics:visa_csv", kwargs={"slug": meeting.slug})
    person = registered(meeting, email="curious@example.org", status=Status.REGISTERED)
    for user in (person.user, organiser_of(accra_meeting()), UserFactory(is_staff=True)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (403, 404)
        assert b"FX000000" not in response.content


def test_each_download_is_logged_without_its_contents(client, meeting, caplog):
    _visa_people(meeting, 1)
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    with caplog.at_level(logging.INFO, logger="egm.audit"):
        client.get(reverse("logistics:visa_csv", kwargs={"slug": meeting.slug}))
    assert f"downloaded as csv by user {organiser.pk}" in caplog.text
    assert "FX000000" not in caplog.text


def test_its_queries_do_not_grow_with_the_list(client, meeting, django_assert_max_num_queries):
    embassy = embassy_for(meeting)
    _visa_people(meeting, 2)
    client.force_login(organiser_of(meeting))
    url = reverse("logistics:visa_csv", kwargs={"slug": meeting.slug})
    with django_assert_max_num_queries(12) as two:
        client.get(url)
    for index in range(6):
        person = registered(
            meeting, email=f"more{index}@example.org", passport_number=f"MO{index:06d}"
        )
        services.request_letter(participant=person, kind="visa", embassy=embassy)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert len(_rows(response)) == 1 + 8
