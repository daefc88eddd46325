"""The organiser pages and the portal issue as many queries at 5,000 participants as at 35.

``make bench`` shows the same at 5,000 beside 200 other meetings, with the times; this
guard keeps it so.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agenda.models import Venue
from logistics.models import Embassy, HotelBlock, HotelBooking, Letter, LetterRequest, TravelPlan
from notifications.models import Message, MessageStatus
from participants.models import (
    Paper,
    PaperVersion,
    Participant,
    Registration,
    Role,
    Status,
)
from participants.organisers import ensure_organiser_group
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.EXPERT, Role.OBSERVER, Role.GOVERNMENT]
STATUSES = [Status.INVITED, Status.ACCEPTED, Status.REGISTERED, Status.NOT_INVITED]


def grow(meeting, start: int, stop: int) -> None:
    """People ``start`` to ``stop`` with every kind of row the pages read: papers, mail,
    flights, hotel stays, passports, visa letters asked for and issued."""
    people = Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            email=f"p{n}@example.org",
            given_name=f"Given{n}",
            family_name=f"Family{n:04d}",
            country="GH" if n % 2 else "KE",
            role=ROLES[n % 3],
            status=STATUSES[n % 4],
            invited_at=dt.datetime(2009, 10, 1, tzinfo=dt.UTC),
        )
        for n in range(start, stop)
    )
    papers = Paper.objects.bulk_create(
        Paper(participant=person, title=f"Paper {person.pk}")
        for person in people
        if person.role == Role.EXPERT and person.status != Status.NOT_INVITED
    )
    versions = PaperVersion.objects.bulk_create(
        PaperVersion(
            paper=paper,
            number=1,
            file=f"papers/{paper.pk}.pdf",
            original_name="paper.pdf",
            content_type="application/pdf",
            size=1000,
            sha256=f"{paper.pk:064d}",
            page_count=7,
            uploaded_at=dt.datetime(2009, 11, 3, tzinfo=dt.UTC),
        )
        for paper in papers
    )
    for paper, version in zip(papers, versions, strict=True):
        paper.current_version = version
    Paper.objects.bulk_update(papers, ["current_version"])
    Message.objects.bulk_create(
        Message(
            meeting=meeting,
            recipient=person.email,
            subject="Invitation",
            body_text="Dear colleague",
            kind="invitation",
            idempotency_key=f"invitation:{person.pk}",
            status=MessageStatus.SENT,
        )
        for person in people
    )
    _logistics(meeting, people)


def _logistics(meeting, people: list[Participant]) -> None:
    hotel, _ = Venue.objects.get_or_create(name="ALISA Hotel", city="Accra", country="GH")
    HotelBlock.objects.get_or_create(
        meeting=meeting,
        defaults={
            "hotel": hotel,
            "first_night": dt.date(2009, 11, 16),
            "last_night": dt.date(2009, 11, 19),
            "rooms": 100,
        },
    )
    embassy, _ = Embassy.objects.get_or_create(
        meeting=meeting, country="KE", defaults={"name": "High Commission of Ghana, Nairobi"}
    )
    coming = [p for p in people if p.status in (Status.ACCEPTED, Status.REGISTERED)]
    registered = [p for p in coming if p.status == Status.REGISTERED]
    TravelPlan.objects.bulk_create(
        TravelPlan(
            participant=person,
            arrival_flight="KQ 512",
            arrival_at=dt.datetime(2009, 11, 16, 6 + person.pk % 12, tzinfo=dt.UTC),
            departure_flight="KQ 513",
            departure_at=dt.datetime(2009, 11, 20, 9, tzinfo=dt.UTC),
        )
        for person in coming
    )
    HotelBooking.objects.bulk_create(
        HotelBooking(
            participant=person,
            hotel=hotel,
            check_in=dt.date(2009, 11, 16),
            check_out=dt.date(2009, 11, 20),
        )
        for person in coming
    )
    Registration.objects.bulk_create(
        Registration(
            participant=person,
            passport_name=person.full_name.upper(),
            nationality=person.country,
            date_of_birth=dt.date(1970, 1, 1),
            passport_number=f"K{person.pk:07d}",
            passport_issuing_country=person.country,
            passport_expires_on=dt.date(2015, 1, 1),
            completed_at=dt.datetime(2009, 10, 1, tzinfo=dt.UTC),
        )
        for person in registered
    )
    asking = registered[::2]
    letters = {
        letter.participant_id: letter
        for letter in Letter.objects.bulk_create(
            Letter(
                meeting=meeting,
                participant=person,
                number=person.pk,
                reference=f"DSPD/EGM/2009/{person.pk:05d}",
                embassy=embassy.name,
                verification_code=f"Q{person.pk:011d}",
                pdf=f"letters/{person.pk}.pdf",
                issued_at=dt.datetime(2009, 10, 12, tzinfo=dt.UTC),
            )
            for person in asking[::2]
        )
    }
    LetterRequest.objects.bulk_create(
        LetterRequest(
            participant=person,
            embassy=embassy,
            requested_at=dt.datetime(2009, 10, 5, tzinfo=dt.UTC),
            letter=letters.get(person.pk),
            handled_at=letters[person.pk].issued_at if person.pk in letters else None,
        )
        for person in asking
    )


@pytest.fixture
def meeting():
    return MeetingFactory(slug="big-2009", paper_roles=["expert"])


@pytest.fixture
def organiser_client(client, meeting):
    user = UserFactory(is_staff=True)
    user.groups.add(ensure_organiser_group())
    meeting.organisers.add(user)
    client.force_login(user)
    return client


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


ORGANISER_PAGES = [
    "/m/big-2009/organise/",
    "/m/big-2009/organise/participants/",
    "/m/big-2009/organise/participants/?page=all",
    "/m/big-2009/organise/participants/?page=3&role=expert",
    "/m/big-2009/organise/papers/",
    "/m/big-2009/organise/participants/export.csv",
    "/m/big-2009/organise/participants/export.xlsx",
    "/m/big-2009/organise/logistics/",
    "/m/big-2009/organise/logistics/letters/",
    "/m/big-2009/organise/logistics/arrivals/",
    "/m/big-2009/organise/logistics/hotel/",
    "/m/big-2009/organise/outbox/",
]


def test_every_page_reads_as_many_queries_at_5000_participants_as_at_35(organiser_client, meeting):
    person = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, user=UserFactory(), role=Role.EXPERT
    )
    client = Client()
    client.force_login(person.user)
    portal = f"/m/{meeting.slug}/me/"
    client.get(portal)  # the first visit gives the participant a calendar link: one write more
    pages = [*ORGANISER_PAGES, f"/admin/notifications/message/?meeting__id__exact={meeting.pk}"]
    grow(meeting, 0, 34)
    at_35 = {url: count_queries(organiser_client, url) for url in pages}
    at_35[portal] = count_queries(client, portal)

    grow(meeting, 34, 4999)
    at_5000 = {url: count_queries(organiser_client, url) for url in pages}
    at_5000[portal] = count_queries(client, portal)

    assert Participant.objects.filter(meeting=meeting).count() == 5000
    assert Letter.objects.filter(meeting=meeting).count() > 300
    assert at_5000 == at_35


def test_tracker_all_rows_lists_every_participant_with_local_times(organiser_client, meeting):
    grow(meeting, 0, 300)

    response = organiser_client.get("/m/big-2009/organise/participants/?page=all")

    rows = response.context["rows"]
    assert len(rows) == 300
    assert (rows[0].formal_name, rows[0].country, rows[0].invited_at) == (
        "Given0 Family0000",
        "Kenya",
        "2009-10-01 00:00",
    )
    assert b'href="/m/big-2009/organise/participants/' + str(rows[0].pk).encode() in (
        response.content
    )
