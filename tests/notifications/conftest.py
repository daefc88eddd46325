"""Fixtures of the outbox tests: the in-memory broker's queue, read back."""

import pytest

from config.celery import app


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
