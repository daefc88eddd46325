"""The import's row writer stores what ``bulk_create`` would store, on both databases
(COPY on PostgreSQL, one executemany elsewhere)."""

import datetime as dt

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from participants.models import Participant, Status
from participants.row_insert import insert_rows
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "email": "ama@example.org",
        "given_name": "Ama\u200b",  # an invisible character the name field strips
        "family_name": "Mensah",
        "country": "GH",
        "region": "africa",
        "role": "expert",
        "funded": True,
    },
    {"email": "ana@example.org", "given_name": "Ana", "family_name": "Souza", "role": "observer"},
]
AT = dt.datetime(2009, 10, 1, 9, 30, tzinfo=dt.UTC)


def _stored(meeting) -> list[dict]:
    people = Participant.objects.filter(meeting=meeting).order_by("email")
    return [
        {**model_to_dict(person, exclude=["id", "meeting", "created_at", "updated_at"])}
        for person in people
    ]


def test_rows_are_stored_as_bulk_create_stores_them():
    copied, created = MeetingFactory(), MeetingFactory()
    with transaction.atomic():
        template = Participant(meeting=copied, status=Status.NOT_INVITED, status_changed_at=AT)
        assert insert_rows(template, ROWS) == 2
    Participant.objects.bulk_create(
        Participant(meeting=created, status=Status.NOT_INVITED, status_changed_at=AT, **row)
        for row in ROWS
    )

    assert _stored(copied) == _stored(created)
    ama = Participant.objects.get(meeting=copied, email="ama@example.org")
    assert (ama.given_name, ama.country.code, ama.funded, ama.status_changed_at) == (
        "Ama",
        "GH",
        True,
        AT,
    )
    assert ama.created_at is not None and ama.updated_at is not None
    ana = Participant.objects.get(meeting=copied, email="ana@example.org")
    assert (ana.country.code, ana.funded, ana.calendar_token) == ("", False, "")


def test_an_unknown_field_is_refused_and_nothing_is_written():
    meeting = MeetingFactory()

    with pytest.raises(ValueError, match="Participant has no field passport_number"):
        insert_rows(Participant(meeting=meeting), [{**ROWS[0], "passport_number": "G1"}])

    assert not Participant.objects.filter(meeting=meeting).exists()


def test_no_rows_write_nothing():
    assert insert_rows(Participant(meeting=MeetingFactory()), []) == 0
