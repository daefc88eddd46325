"""The migration that stores calendar UIDs gives every existing row its own."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("agenda", "0005_agenda_change_people"), ("logistics", "0002_initial")]
AFTER = [("agenda", "0006_calendar_identity_and_refresh"), ("logistics", "0003_calendar_identity")]


@pytest.mark.django_db(transaction=True)
def test_calendar_uid_migrations_give_each_existing_row_a_distinct_uid():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Meeting, Deadline = old.get_model("agenda", "Meeting"), old.get_model("agenda", "Deadline")
    meetings = [
        Meeting.objects.create(
            slug=f"m{index}",
            title="Meeting",
            purpose="Purpose",
            organiser="DSPD",
            starts_on=dt.date(2009, 11, 17),
            ends_on=dt.date(2009, 11, 19),
        )
        for index in range(3)
    ]
    for meeting in meetings:
        for kind in ("paper", "registration"):
            Deadline.objects.create(
                meeting=meeting, kind=kind, due_at=dt.datetime(2009, 11, 5, tzinfo=dt.UTC)
            )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    meeting_uids = list(new.get_model("agenda", "Meeting").objects.values_list("uid", flat=True))
    deadline_rows = new.get_model("agenda", "Deadline").objects.values_list("uid", "sequence")
    assert len(set(meeting_uids)) == 3 and None not in meeting_uids
    assert len({uid for uid, _ in deadline_rows}) == 6
    assert {sequence for _, sequence in deadline_rows} == {0}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
