"""The public meeting page and the organiser's participant list, at demo size and at 10x."""

import datetime as dt

from django.test import Client

from agenda.demo import load_demo
from agenda.models import Session, SessionKind
from bench.measure import measure, report
from participants.models import Participant, Role, User


def _grow(meeting, factor: int) -> None:
    """Copies of the demo's sessions on later days and more participants, ``factor`` times."""
    sessions = list(Session.objects.filter(meeting=meeting))
    Session.objects.bulk_create(
        Session(
            meeting=meeting,
            kind=session.kind,
            title=f"{session.title} ({copy})",
            starts_at=session.starts_at + dt.timedelta(days=3 * copy),
            ends_at=session.ends_at + dt.timedelta(days=3 * copy),
            room=session.room,
            working_group=session.working_group,
        )
        for copy in range(1, factor)
        for session in sessions
        if session.kind != SessionKind.RECEPTION
    )
    Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            email=f"extra{number}@example.org",
            given_name="Extra",
            family_name=f"Person {number}",
            role=Role.OBSERVER,
        )
        for number in range(35 * (factor - 1))
    )


def run() -> None:
    meeting = load_demo().meeting
    admin = User.objects.create_superuser(email="bench-admin@example.org", password="x" * 20)
    client = Client()
    client.force_login(admin)
    page = meeting.get_absolute_url()
    results = {}
    for label, factor in (("demo", 1), ("10x", 10)):
        if factor > 1:
            _grow(meeting, factor)
        sessions = Session.objects.filter(meeting=meeting).count()
        millis, queries = measure(lambda: client.get(page))
        report(f"meeting page, {sessions} sessions", millis, queries, budget_ms=300)
        people = Participant.objects.filter(meeting=meeting).count()
        list_ms, list_queries = measure(lambda: client.get("/admin/participants/participant/?all="))
        report(f"admin participant list, {people} rows", list_ms, list_queries, budget_ms=800)
        results[label] = (millis, queries, list_ms, list_queries)
    demo, big = results["demo"], results["10x"]
    print(
        f"ratio 10x/demo: page {big[0] / demo[0]:.1f}x time, {big[1]}/{demo[1]} queries; "
        f"admin list {big[2] / demo[2]:.1f}x time, {big[3]}/{demo[3]} queries"
    )
