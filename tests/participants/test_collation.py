"""Names sort as readers expect, accents in place, the same on SQLite and PostgreSQL."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from participants.collation import NAME_COLLATION, by_name, sort_key
from participants.models import Participant, Role, Status
from participants.papers import queries as paper_queries
from participants.programme.forms import MemberForm, PartForm
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

# As ICU's root collation (PostgreSQL's "und-x-icu") orders them.
EXPECTED = [
    "Abebe",
    "Æbi",
    "Af",
    "Al-Amin",
    "Alamin",
    "alvarez",
    "Álvarez",
    "Dao",
    "Đào",
    "De",
    "Éboué",
    "Łukasz",
    "Lz",
    "Ng",
    "O'Brien",
    "Obama",
    "Ørsted",
    "Oz",
    "Strauss",
    "Strauß",
    "Ströbel",
    "Van der Berg",
    "Vanb",
    "Villarreal",
    "Zúñiga",
]
FAMILY_NAMES = sorted(EXPECTED, key=lambda name: name[::-1])


def _people(meeting, status=Status.ACCEPTED, **fields):
    return [
        ParticipantFactory(
            meeting=meeting, family_name=name, given_name="A", status=status, **fields
        )
        for name in FAMILY_NAMES
    ]


def test_sort_key_puts_accented_names_with_their_letter():
    assert sorted(FAMILY_NAMES, key=sort_key) == EXPECTED


def test_database_sorts_by_the_name_collation_like_the_python_key():
    meeting = MeetingFactory()
    _people(meeting)
    ordered = Participant.objects.filter(meeting=meeting).order_by(*by_name(), "pk")
    assert [p.family_name for p in ordered] == EXPECTED


def test_tracker_lists_accented_names_in_place(client):
    meeting = MeetingFactory()
    _people(meeting)
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    client.force_login(organiser)
    response = client.get(reverse("participants:tracker", kwargs={"slug": meeting.slug}))
    assert [row.full_name.split(" ", 1)[1] for row in response.context["rows"]] == EXPECTED


def test_export_lists_accented_names_in_place_then_by_given_name(client):
    meeting = MeetingFactory()
    _people(meeting)
    for given in ("Émile", "Zoe", "Abena"):
        ParticipantFactory(meeting=meeting, family_name="Dao", given_name=given)
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    client.force_login(organiser)

    response = client.get(reverse("participants:export_csv", args=[meeting.slug]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    position = EXPECTED.index("Dao")
    expected = [
        *((name, "A") for name in EXPECTED[:position]),
        ("Dao", "A"), ("Dao", "Abena"), ("Dao", "Émile"), ("Dao", "Zoe"),
        *((name, "A") for name in EXPECTED[position + 1 :]),
    ]  # fmt: skip
    assert [(row[2], row[1]) for row in rows] == expected


def test_papers_tracker_lists_accented_names_in_place():
    meeting = MeetingFactory()
    _people(meeting, role=Role.EXPERT, paper_requested=True)
    tracker = paper_queries.paper_tracker(meeting)
    assert [row.participant.family_name for row in tracker.rows] == EXPECTED


def test_people_picker_lists_accented_names_in_place():
    meeting = MeetingFactory()
    _people(meeting)
    for form in (PartForm(meeting=meeting), MemberForm(meeting=meeting)):
        labels = [label for _, label in form.fields["participant"].choices][1:]
        assert labels == [f"{name}, A (accepted)" for name in EXPECTED]


@pytest.mark.postgres
def test_postgresql_collation_is_icu():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collprovider FROM pg_collation WHERE collname = %s", [NAME_COLLATION]
        )
        assert cursor.fetchall() == [("i",)]
