import threading

import pytest
from django.db import connection

from participants.importing import import_participants
from participants.models import Participant
from tests.factories import MeetingFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_into_one_meeting_take_turns():
    meeting = MeetingFactory()
    data = (
        "given name,family name,email,role\n"
        + "".join(f"Given{n},Family{n},person{n}@example.org,expert\n" for n in range(1500))
    ).encode()
    barrier = threading.Barrier(2)
    outcomes = []

    def run_import():
        try:
            barrier.wait()
            summary = import_participants(meeting=meeting, data=data)
            outcomes.append((summary.created, summary.unchanged))
        except Exception as exc:  # the assertion below shows what went wrong
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [(0, 1500), (1500, 0)]
    assert Participant.objects.filter(meeting=meeting).count() == 1500
