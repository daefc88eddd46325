"""The database refuses a double-booked room even when the service is bypassed."""

import pytest
from django.db import IntegrityError, transaction

from agenda.models import SessionStatus
from tests.agenda.conftest import at
from tests.factories import SessionFactory


@pytest.mark.postgres
def test_database_refuses_two_confirmed_sessions_in_one_room(accra):
    meeting = accra["meeting"]
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(
            meeting=meeting,
            room=accra["hall"],
            starts_at=at(meeting, 0, 10),
            ends_at=at(meeting, 0, 11),
        )


@pytest.mark.postgres
def test_database_allows_cancelled_and_back_to_back_sessions_in_one_room(accra):
    meeting = accra["meeting"]
    SessionFactory(
        meeting=meeting,
        room=accra["hall"],
        status=SessionStatus.CANCELLED,
        starts_at=at(meeting, 0, 10),
        ends_at=at(meeting, 0, 11),
    )
    SessionFactory(
        meeting=meeting,
        room=accra["hall"],
        starts_at=at(meeting, 0, 10, 30),
        ends_at=at(meeting, 0, 11),
    )
    assert meeting.sessions.filter(room=accra["hall"]).count() == 5


@pytest.mark.postgres
def test_booking_that_races_the_check_gets_the_room_message(accra):
    from django.core.exceptions import ValidationError

    from agenda import services
    from agenda.models import Session

    meeting = accra["meeting"]
    late = Session(
        meeting=meeting,
        kind="plenary",
        title="Raced",
        room=accra["hall"],
        starts_at=at(meeting, 0, 9, 30),
        ends_at=at(meeting, 0, 10),
    )
    with pytest.raises(ValidationError) as error, transaction.atomic():
        services._save_session(late)
    assert error.value.message_dict == {"room": [services.ROOM_TAKEN]}
    assert not Session.objects.filter(title="Raced").exists()
