"""Capacity under concurrent acceptances, on PostgreSQL with real parallel transactions.

Eight threads, each with its own database connection, wait at a barrier and accept at
the same moment. ``race_window`` (a test hook of ``accept_invitation``) sleeps between
counting the seats and writing the new status, so without the meeting lock every thread
counts the same free seats: the control test shows the quota broken, which proves the
lock in the first test is what keeps it.
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from agenda.models import RoleQuota
from participants import services
from participants.models import Participant, Role, Status, StatusChange

from .support import clear_cache, future_meeting, invited  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACE_WINDOW = 0.2  # seconds between counting seats and writing


def _accept_all_at_once(participants, *, lock: bool) -> list[str]:
    barrier = threading.Barrier(len(participants))
    errors: list[str] = []

    def accept(participant):
        try:
            barrier.wait(timeout=10)
            services.accept_invitation(participant=participant, lock=lock, race_window=RACE_WINDOW)
        except services.InvitationError as exc:
            errors.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in participants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _statuses(meeting) -> Counter:
    return Counter(Participant.objects.filter(meeting=meeting).values_list("status", flat=True))


def _eight_experts_for_three_seats():
    meeting = future_meeting()
    RoleQuota.objects.create(meeting=meeting, role=Role.EXPERT, limit=3)
    experts = [invited(meeting, role=Role.EXPERT)[0] for _ in range(8)]
    return meeting, experts


def test_concurrent_acceptances_never_exceed_the_role_quota():
    meeting, experts = _eight_experts_for_three_seats()
    errors = _accept_all_at_once(experts, lock=True)
    assert errors == []
    assert _statuses(meeting) == Counter({Status.ACCEPTED: 3, Status.WAITLISTED: 5})


def test_control_without_the_lock_the_race_breaks_the_quota():
    meeting, experts = _eight_experts_for_three_seats()
    _accept_all_at_once(experts, lock=False)
    assert _statuses(meeting)[Status.ACCEPTED] > 3


def test_concurrent_acceptances_never_exceed_meeting_capacity():
    meeting = future_meeting(capacity=2)
    people = [
        invited(meeting, role=role)[0]
        for role in (Role.EXPERT, Role.OBSERVER, Role.GOVERNMENT, Role.UN_SECRETARIAT, Role.EXPERT)
    ]
    _accept_all_at_once(people, lock=True)
    assert _statuses(meeting) == Counter({Status.ACCEPTED: 2, Status.WAITLISTED: 3})


def test_same_invitation_accepted_twice_at_once_counts_once():
    meeting = future_meeting()
    participant, _ = invited(meeting)
    errors = _accept_all_at_once([participant, participant], lock=True)
    assert errors == ["used"]
    assert (
        StatusChange.objects.filter(participant=participant, to_status=Status.ACCEPTED).count() == 1
    )
