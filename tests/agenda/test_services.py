"""Programme changes: validation with reasons and nothing written, SEQUENCE and version."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from agenda import services
from agenda.models import AgendaChange, Session, SessionKind, SessionStatus
from participants.models import SessionRole
from participants.programme import services as programme
from tests.agenda.conftest import at


def new_session(meeting, **overrides):
    fields = {
        "meeting": meeting,
        "kind": SessionKind.PLENARY,
        "title": "Panel on youth",
        "starts_at": at(meeting, 1, 9),
        "ends_at": at(meeting, 1, 10),
    }
    fields.update(overrides)
    return services.create_session(**fields)


def test_create_session_end_before_start_is_refused(accra):
    meeting = accra["meeting"]
    count, version = Session.objects.count(), meeting.version
    with pytest.raises(ValidationError) as error:
        new_session(meeting, starts_at=at(meeting, 1, 10), ends_at=at(meeting, 1, 9))
    assert error.value.message_dict == {"ends_at": ["The session must end after it starts."]}
    meeting.refresh_from_db()
    assert (Session.objects.count(), meeting.version) == (count, version)


def test_create_session_outside_meeting_is_refused(accra):
    meeting = accra["meeting"]
    count = Session.objects.count()
    with pytest.raises(ValidationError) as error:
        new_session(meeting, starts_at=at(meeting, 3, 9), ends_at=at(meeting, 3, 10))
    assert error.value.message_dict == {
        "starts_at": [
            "The session must fall within the meeting, 17 November 2009 to 19 November 2009 "
            "(Africa/Accra)."
        ]
    }
    assert Session.objects.count() == count


def test_create_session_in_booked_room_is_refused(accra):
    meeting = accra["meeting"]
    count = Session.objects.count()
    with pytest.raises(ValidationError) as error:
        new_session(
            meeting,
            room=accra["hall"],
            starts_at=at(meeting, 0, 10),
            ends_at=at(meeting, 0, 11, 30),
        )
    assert error.value.message_dict == {
        "room": [
            "Main hall is already booked for \u201cOpening session\u201d on 17 November "
            "from 09:00 to 10:30."
        ]
    }
    assert Session.objects.count() == count


def test_create_session_in_room_of_cancelled_session_is_allowed(accra):
    meeting = accra["meeting"]
    services.cancel_session(session=accra["opening"])
    result = new_session(
        meeting, room=accra["hall"], starts_at=at(meeting, 0, 9), ends_at=at(meeting, 0, 10)
    )
    assert result.session.room == accra["hall"]


def test_create_session_back_to_back_in_one_room_is_allowed(accra):
    meeting = accra["meeting"]
    result = new_session(
        meeting,
        room=accra["hall"],
        starts_at=at(meeting, 0, 10, 30),
        ends_at=at(meeting, 0, 11),
    )
    assert result.warnings == []
    meeting.refresh_from_db()
    assert meeting.version == 2


def test_update_session_moving_into_booked_room_is_refused_and_unchanged(accra):
    session = accra["ageing_session"]
    with pytest.raises(ValidationError) as error:
        services.update_session(session=session, room=accra["hall"], title="Moved")
    assert list(error.value.message_dict) == ["room"]
    session.refresh_from_db()
    assert (session.room, session.title, session.sequence) == (
        accra["annex"],
        "Ageing societies",
        0,
    )


def test_update_session_keeps_uid_and_raises_sequence(accra):
    session = accra["opening"]
    uid = session.uid
    meeting = accra["meeting"]
    services.update_session(
        session=session, starts_at=at(meeting, 0, 8, 30), ends_at=at(meeting, 0, 10)
    )
    services.update_session(session=session, title="Opening")
    session.refresh_from_db()
    meeting.refresh_from_db()
    assert (session.uid, session.sequence, meeting.version) == (uid, 2, 3)


def test_update_session_without_change_writes_nothing(accra):
    session = accra["opening"]
    services.update_session(session=session, title="Opening session")
    session.refresh_from_db()
    assert session.sequence == 0


def test_person_in_two_overlapping_sessions_is_a_warning_not_a_refusal(accra):
    meeting = accra["meeting"]
    chair = accra["chair"]
    result = programme.assign_part(
        session=accra["youth_session"], participant=chair, part="rapporteur"
    )
    assert result.warnings == [
        "Kwame Boateng is also in \u201cAgeing societies\u201d at that time."
    ]
    assert SessionRole.objects.filter(session=accra["youth_session"], participant=chair).exists()
    moved = services.update_session(
        session=accra["youth_session"], starts_at=at(meeting, 1, 11), ends_at=at(meeting, 1, 12)
    )
    assert moved.warnings == []


def test_assign_part_with_someone_elses_paper_is_refused(accra):
    paper = accra["expert"].paper
    with pytest.raises(ValidationError) as error:
        programme.assign_part(
            session=accra["opening"], participant=accra["chair"], part="presenter", paper=paper
        )
    assert error.value.message_dict == {"paper": ["That paper is not this participant's."]}
    assert not SessionRole.objects.filter(part="presenter", participant=accra["chair"]).exists()


def test_changes_are_recorded_only_once_announced(accra):
    meeting = accra["meeting"]
    services.update_session(session=accra["opening"], title="Opening")
    assert AgendaChange.objects.count() == 0
    services.announce_agenda(meeting=meeting)
    services.update_session(session=accra["opening"], title="Opening of the meeting")
    services.cancel_session(session=accra["closing"])
    assert list(AgendaChange.objects.values_list("kind", "session__title")) == [
        ("changed", "Opening of the meeting"),
        ("cancelled", "Closing session"),
    ]


def test_cancel_session_keeps_it_marked_cancelled(accra):
    session = services.cancel_session(session=accra["closing"])
    assert (session.status, session.sequence) == (SessionStatus.CANCELLED, 1)
    assert Session.objects.filter(pk=session.pk).exists()


def test_deadline_given_as_date_ends_that_day_in_meeting_zone(accra):
    meeting = accra["meeting"]
    due = meeting.end_of_day(dt.date(2009, 11, 5))
    assert due.astimezone(dt.UTC) == dt.datetime(2009, 11, 5, 23, 59, 59, tzinfo=dt.UTC)
    meeting.time_zone = "America/New_York"
    assert meeting.end_of_day(dt.date(2009, 11, 5)).astimezone(dt.UTC) == dt.datetime(
        2009, 11, 6, 4, 59, 59, tzinfo=dt.UTC
    )
