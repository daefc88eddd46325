"""Reading back and running the sending tasks the outbox handed to the (in-memory) broker."""

import datetime as dt
import zoneinfo

import notifications.tasks  # noqa: F401 (registers the tasks run below, also in a lone file)
from config.celery import app

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")
# Where the reminder pages' tests stop the clock (the ``frozen`` fixture).
NOW = dt.datetime(2009, 10, 20, 10, 0, tzinfo=ACCRA)

SEND_TASKS = frozenset({"notifications.send_message", "notifications.send_messages"})


def message_ids(tasks: list[tuple[str, list]]) -> list[int]:
    """The messages the sending tasks carry, one to a task or a batch to a task, sorted."""
    ids = []
    for name, args in tasks:
        assert name in SEND_TASKS, name
        ids += args[0] if name == "notifications.send_messages" else args
    return sorted(ids)


def run(tasks: list[tuple[str, list]]) -> int:
    """Run the tasks as a worker would; returns how many ran."""
    for name, args in tasks:
        assert name in SEND_TASKS, name
        app.tasks[name].apply(args=args)
    return len(tasks)
