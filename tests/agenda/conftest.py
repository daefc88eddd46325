"""The Accra programme in miniature: two rooms, two working groups, people with parts."""

import datetime as dt

import pytest

from agenda.models import SessionKind
from participants.models import Paper, Role, SessionRole, Status
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    WorkingGroupFactory,
)


def at(meeting, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A local time on the meeting's day ``day`` (0 = first day), aware in its zone."""
    date = meeting.starts_on + dt.timedelta(days=day)
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=meeting.zone)


@pytest.fixture
def accra(db):
    meeting = MeetingFactory(slug="accra-2009")
    hall = RoomFactory(venue=meeting.venue, name="Main hall")
    annex = RoomFactory(venue=meeting.venue, name="Annex")
    youth = WorkingGroupFactory(meeting=meeting, name="Youth and employment", slug="youth")
    ageing = WorkingGroupFactory(meeting=meeting, name="Older persons", slug="ageing")
    opening = SessionFactory(
        meeting=meeting,
        kind=SessionKind.OPENING,
        title="Opening session",
        room=hall,
        starts_at=at(meeting, 0, 9),
        ends_at=at(meeting, 0, 10, 30),
    )
    youth_session = SessionFactory(
        meeting=meeting,
        kind=SessionKind.WORKING_GROUP,
        title="Youth inclusion",
        room=hall,
        working_group=youth,
        starts_at=at(meeting, 0, 11),
        ends_at=at(meeting, 0, 13),
    )
    ageing_session = SessionFactory(
        meeting=meeting,
        kind=SessionKind.WORKING_GROUP,
        title="Ageing societies",
        room=annex,
        working_group=ageing,
        starts_at=at(meeting, 0, 11),
        ends_at=at(meeting, 0, 13),
    )
    closing = SessionFactory(
        meeting=meeting,
        kind=SessionKind.CLOSING,
        title="Closing session",
        room=hall,
        starts_at=at(meeting, 2, 15),
        ends_at=at(meeting, 2, 16),
    )
    chair = ParticipantFactory(
        meeting=meeting,
        role=Role.UN_SECRETARIAT,
        status=Status.REGISTERED,
        given_name="Kwame",
        family_name="Boateng",
        email="chair@example.org",
    )
    expert = ParticipantFactory(
        meeting=meeting,
        role=Role.EXPERT,
        status=Status.REGISTERED,
        working_group=youth,
        given_name="Amina",
        family_name="Diallo",
        email="expert@example.org",
    )
    other_expert = ParticipantFactory(
        meeting=meeting,
        role=Role.EXPERT,
        status=Status.ACCEPTED,
        working_group=ageing,
        given_name="Lena",
        family_name="Berg",
        email="other@example.org",
    )
    observer = ParticipantFactory(
        meeting=meeting,
        role=Role.OBSERVER,
        status=Status.ACCEPTED,
        funded=False,
        given_name="Tom",
        family_name="Owusu",
        email="observer@example.org",
    )
    paper = Paper.objects.create(participant=expert, title="Youth employment in Ghana")
    SessionRole.objects.create(session=opening, participant=chair, part="chair")
    SessionRole.objects.create(session=ageing_session, participant=chair, part="chair")
    SessionRole.objects.create(
        session=youth_session, participant=expert, part="presenter", paper=paper
    )
    return {
        "meeting": meeting,
        "hall": hall,
        "annex": annex,
        "youth": youth,
        "ageing": ageing,
        "opening": opening,
        "youth_session": youth_session,
        "ageing_session": ageing_session,
        "closing": closing,
        "chair": chair,
        "expert": expert,
        "other_expert": other_expert,
        "observer": observer,
    }
