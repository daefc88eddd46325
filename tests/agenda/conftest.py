"""The Accra programme in miniature: two rooms, two working groups, people with parts."""

import datetime as dt

import pytest

from agenda import services
from agenda.models import Deadline, DeadlineKind, SessionKind
from logistics.models import HotelBooking, TravelPlan
from participants.models import Paper, Role, SessionRole, Status
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    WorkingGroupFactory,
)

# The night of 7 November 2027 the clocks go back: 01:30 happens twice in New York.
FIRST_0130 = dt.datetime(2027, 11, 7, 5, 30, tzinfo=dt.UTC)  # 01:30 EDT
SECOND_0130 = dt.datetime(2027, 11, 7, 6, 30, tzinfo=dt.UTC)  # 01:30 EST


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


@pytest.fixture
def night_owls(db):
    """A New York meeting with a session in each 01:30 of the night the clocks go back."""
    meeting = MeetingFactory(
        slug="ny-2027",
        time_zone="America/New_York",
        starts_on=dt.date(2027, 11, 6),
        ends_on=dt.date(2027, 11, 8),
    )
    hall = RoomFactory(venue=meeting.venue, name="Hall")
    daylight = SessionFactory(
        meeting=meeting,
        kind=SessionKind.PLENARY,
        title="Daylight-time session",
        room=hall,
        starts_at=FIRST_0130,
        ends_at=FIRST_0130 + dt.timedelta(minutes=25),
    )
    standard = SessionFactory(
        meeting=meeting,
        kind=SessionKind.PLENARY,
        title="Standard-time session",
        room=hall,
        starts_at=SECOND_0130,
        ends_at=SECOND_0130 + dt.timedelta(minutes=30),
    )
    person = ParticipantFactory(meeting=meeting, status=Status.REGISTERED, role=Role.EXPERT)
    Deadline.objects.create(
        meeting=meeting,
        kind=DeadlineKind.TRAVEL_DETAILS,
        due_at=dt.datetime(2027, 11, 7, 1, 45, fold=1, tzinfo=meeting.zone),
        description="Send your flights.",
    )
    return {"meeting": meeting, "daylight": daylight, "standard": standard, "person": person}


@pytest.fixture
def busy_accra(accra):
    """The Accra programme with deadlines, travel, a hotel stay and a cancelled session."""
    meeting, expert = accra["meeting"], accra["expert"]
    for kind, day in ((DeadlineKind.PAPER, 5), (DeadlineKind.REGISTRATION, 10)):
        Deadline.objects.create(
            meeting=meeting, kind=kind, due_at=meeting.end_of_day(dt.date(2009, 11, day))
        )
    TravelPlan.objects.create(
        participant=expert,
        arrival_flight="KL589",
        arrival_at=at(meeting, -1, 18, 30),
        departure_flight="KL590",
        departure_at=at(meeting, 3, 22, 0),
    )
    HotelBooking.objects.create(
        participant=expert,
        hotel=meeting.venue,
        check_in=dt.date(2009, 11, 16),
        check_out=dt.date(2009, 11, 20),
    )
    services.cancel_session(session=accra["closing"])
    return accra
