"""Fixtures of the notifications tests: the in-memory broker's queue, read back; a meeting
with its paper deadline and an organiser signed in; the clock stopped at ``support.NOW``."""

import pytest
import time_machine

from agenda.models import DeadlineKind
from config.celery import app
from tests.factories import DeadlineFactory, MeetingFactory, UserFactory

from .support import NOW


def _drain() -> list[tuple[str, list]]:
    """Take every task message off the in-memory broker: (task name, args)."""
    tasks = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        try:
            while queue.qsize():
                message = queue.get(block=False)
                tasks.append((message.headers["task"], message.payload[0]))
                message.ack()
        finally:
            queue.close()
    return tasks


@pytest.fixture
def broker_tasks():
    """Call it to get the tasks sent to the broker since the test started."""
    assert app.conf.broker_url.startswith("memory://"), "unit tests must not use a real broker"
    _drain()
    return _drain


@pytest.fixture
def frozen():
    """The clock stopped at ``support.NOW``; modules ask for it with ``usefixtures``."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meeting():
    """A meeting with a paper deadline (a module may define its own ``meeting``)."""
    meeting = MeetingFactory()
    DeadlineFactory(meeting=meeting, kind=DeadlineKind.PAPER)
    return meeting


@pytest.fixture
def organiser(client, meeting):
    """An organiser of ``meeting``, signed in on ``client``."""
    user = UserFactory()
    meeting.organisers.add(user)
    client.force_login(user)
    return user
