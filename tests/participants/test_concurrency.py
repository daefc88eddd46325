"""Capacity under concurrent acceptances, on PostgreSQL with real parallel transactions.

Eight threads, each with its own database connection, wait at a barrier and accept at
the same moment. ``race_window`` (a test hook of ``accept_invitation``) sleeps between
counting the seats and writing the new status, so without the meeting lock every thread
counts the same free seats: the control test shows the quota broken, which proves the
lock in the first test is what keeps it. Organisers admitting from the waiting list take
the same lock: both admission tests fail when ``admit`` skips it.
"""

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from agenda.models import RoleQuota
from participants import services
from participants.models import Participant, Role, Status, StatusChange

from .support import clear_cache, future_meeting, invited, organiser_of  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACE_WINDOW = 0.2  # seconds between counting seats and writing


def _run_together(*calls) -> list[str]:
    """Run each call in its own thread and connection, all released at once; error codes."""
    barrier = threading.Barrier(len(calls))
    errors: list[str] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except services.ValidationError as exc:
            errors.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(errors)


def _accept_all_at_once(participants, *, lock: bool) -> list[str]:
    return _run_together(
        *(
            lambda person=person: services.accept_invitation(
                participant=person, lock=lock, race_window=RACE_WINDOW
            )
            for person in participants
        )
    )


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


def _waitlisted(meeting, role):
    participant, _ = invited(meeting, role=role)
    participant = services.accept_invitation(participant=participant)
    assert participant.status == Status.WAITLISTED
    return participant


def test_concurrent_admissions_from_the_waiting_list_never_exceed_the_quota():
    meeting = future_meeting()
    RoleQuota.objects.create(meeting=meeting, role=Role.EXPERT, limit=2)
    organiser = organiser_of(meeting)
    leaving = services.accept_invitation(participant=invited(meeting, role=Role.EXPERT)[0])
    services.accept_invitation(participant=invited(meeting, role=Role.EXPERT)[0])
    waiting = [_waitlisted(meeting, Role.EXPERT) for _ in range(5)]
    services.cancel_participation(participant=leaving, changed_by=organiser)

    errors = _run_together(
        *(
            lambda person=person: services.admit(participant=person, changed_by=organiser)
            for person in waiting
        )
    )

    assert errors == ["full"] * 4
    assert _statuses(meeting)[Status.ACCEPTED] == 2


def test_admission_waits_for_an_acceptance_that_is_counting_the_last_seat():
    # The acceptance holds the meeting lock while it sleeps between counting and writing;
    # an admission that did not take the same lock would count the seat as free too.
    meeting = future_meeting()
    RoleQuota.objects.create(meeting=meeting, role=Role.EXPERT, limit=2)
    organiser = organiser_of(meeting)
    services.accept_invitation(participant=invited(meeting, role=Role.EXPERT)[0])
    late_acceptance = invited(meeting, role=Role.EXPERT)[0]
    RoleQuota.objects.filter(meeting=meeting).update(limit=1)
    waiting = _waitlisted(meeting, Role.EXPERT)
    RoleQuota.objects.filter(meeting=meeting).update(limit=2)

    def accept():
        services.accept_invitation(participant=late_acceptance, race_window=RACE_WINDOW * 3)

    def admit_a_moment_later():
        time.sleep(RACE_WINDOW)
        services.admit(participant=waiting, changed_by=organiser)

    errors = _run_together(accept, admit_a_moment_later)

    assert errors == ["full"]
    assert _statuses(meeting) == Counter({Status.ACCEPTED: 2, Status.WAITLISTED: 1})
