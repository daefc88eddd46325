"""The organiser pages and the portal issue as many queries at 300 participants as at 35.

``make bench`` shows the same at 5,000 beside 200 other meetings; these guards keep it so.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Message, MessageStatus
from participants.models import Paper, PaperVersion, Participant, Role, Status
from participants.organisers import ensure_organiser_group
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.EXPERT, Role.OBSERVER, Role.GOVERNMENT]
STATUSES = [Status.INVITED, Status.ACCEPTED, Status.REGISTERED, Status.NOT_INVITED]


def grow(meeting, start: int, stop: int) -> None:
    """People ``start`` to ``stop`` with every kind of row the pages read: papers, mail."""
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
    for paper in papers:
        paper.current_version = PaperVersion.objects.create(
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
    "/m/big-2009/organise/participants/",
    "/m/big-2009/organise/participants/?page=all",
    "/m/big-2009/organise/participants/?page=3&role=expert",
    "/m/big-2009/organise/papers/",
    "/m/big-2009/organise/participants/export.csv",
    "/m/big-2009/organise/participants/export.xlsx",
]


@pytest.mark.parametrize("url", ORGANISER_PAGES)
def test_organiser_page_queries_equal_at_35_and_300(
    organiser_client, meeting, url, django_assert_num_queries
):
    grow(meeting, 0, 35)
    at_35 = count_queries(organiser_client, url)
    grow(meeting, 35, 300)

    with django_assert_num_queries(at_35):
        response = organiser_client.get(url)

    assert response.status_code == 200


def test_outbox_admin_list_queries_equal_at_35_and_300(
    organiser_client, meeting, django_assert_num_queries
):
    url = f"/admin/notifications/message/?meeting__id__exact={meeting.pk}"
    grow(meeting, 0, 35)
    at_35 = count_queries(organiser_client, url)
    grow(meeting, 35, 300)

    with django_assert_num_queries(at_35):
        response = organiser_client.get(url)

    assert response.context["cl"].result_count == 300


def test_portal_queries_equal_at_35_and_300(client, meeting, django_assert_num_queries):
    person = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, user=UserFactory(), role=Role.EXPERT
    )
    client.force_login(person.user)
    url = f"/m/{meeting.slug}/me/"
    grow(meeting, 0, 34)
    client.get(url)  # the first visit gives the participant a calendar link: one write more
    at_35 = count_queries(client, url)
    grow(meeting, 34, 299)

    with django_assert_num_queries(at_35):
        response = client.get(url)

    assert response.status_code == 200


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
