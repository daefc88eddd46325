"""Agenda and calendar feeds: the meeting feed, a personal feed, the public agenda page.

Budgets from the issue: meeting feed with 300 sessions under 40 ms and at most 5 queries
(a mature Django conference tool takes 376 ms for the same), a personal feed under 20 ms,
the public agenda page with 300 sessions under 100 ms with a query count that does not
grow with the number of sessions.
"""

import datetime as dt

from django.core.cache import cache
from django.test import Client

from bench.measure import measure, report

REFERENCE_FEED_MS = 376.0


def _meeting(slug: str, sessions: int):
    from agenda.models import Deadline, Meeting, Room, Session, SessionKind, Venue, WorkingGroup
    from participants.models import Participant, Role, SessionRole, Status

    venue = Venue.objects.create(name="ALISA Hotel", city="Accra", country="GH")
    rooms = [Room.objects.create(venue=venue, name=f"Room {n}") for n in range(6)]
    meeting = Meeting.objects.create(
        slug=slug,
        title="Practical Strategies to Promote Social Integration",
        short_title="EGM Social Integration",
        purpose="Bench.",
        organiser="DSPD",
        venue=venue,
        starts_on=dt.date(2009, 11, 17),
        ends_on=dt.date(2009, 11, 19),
        time_zone="Africa/Accra",
    )
    groups = [
        WorkingGroup.objects.create(meeting=meeting, name=f"Group {n}", slug=f"g{n}")
        for n in range(5)
    ]
    people = Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            email=f"p{n}@example.org",
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            role=Role.EXPERT,
            status=Status.REGISTERED,
            honorific="Dr.",
            working_group=groups[n % 5],
        )
        for n in range(35)
    )
    Deadline.objects.create(
        meeting=meeting,
        kind="paper",
        due_at=meeting.end_of_day(dt.date(2009, 11, 5)),
        roles=["expert"],
    )
    Deadline.objects.create(
        meeting=meeting, kind="registration", due_at=meeting.end_of_day(dt.date(2009, 10, 20))
    )
    rows = []
    per_day = sessions // 3 + 1
    for n in range(sessions):
        day, index = divmod(n, per_day)
        room = index % 6
        start = dt.datetime.combine(
            meeting.starts_on + dt.timedelta(days=day), dt.time(7), tzinfo=meeting.zone
        ) + dt.timedelta(minutes=12 * (index // 6))
        # One plenary track (room 5) beside five working groups.
        grouped = room < 5
        rows.append(
            Session(
                meeting=meeting,
                kind=SessionKind.WORKING_GROUP if grouped else SessionKind.PLENARY,
                title=f"Session {n}: practical strategies for social integration",
                description="Discussion of policies and practices that worked, and why.",
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=10),
                room=rooms[room],
                working_group=groups[room] if grouped else None,
            )
        )
    created = Session.objects.bulk_create(rows)
    SessionRole.objects.bulk_create(
        SessionRole(session=session, participant=people[n % 35], part="speaker")
        for n, session in enumerate(created)
    )
    return meeting, people[0]


def run() -> None:
    from agenda import feeds, services
    from agenda.models import Meeting
    from participants import feeds as personal_feeds
    from participants import queries as participant_queries
    from participants.programme import services as programme

    client = Client()
    meeting, person = _meeting("bench-300", 300)
    small, _ = _meeting("bench-30", 30)
    token = programme.ensure_calendar_token(participant=person)
    feed_url = f"/m/{meeting.slug}/agenda.ics"

    def cold_feed():
        cache.clear()
        return feeds.meeting_feed(meeting)

    cold_ms, cold_queries = measure(cold_feed, repeat=5)
    # The budget holds for the first request after a change too, not only for cached bytes.
    report("meeting feed, 300 sessions, cold (built)", cold_ms, cold_queries, 40)
    warm_ms, warm_queries = measure(lambda: client.get(feed_url), repeat=15)
    report("meeting feed, 300 sessions, warm (GET, cached)", warm_ms, warm_queries, 40)
    size = len(client.get(feed_url).content)
    print(
        f"  feed size {size / 1024:.0f} KiB; warm is {REFERENCE_FEED_MS / warm_ms:.0f}x "
        f"faster than the reference {REFERENCE_FEED_MS:.0f} ms, cold "
        f"{REFERENCE_FEED_MS / cold_ms:.1f}x"
    )

    def edited_feed():
        services.update_session(
            session=edited, title=f"{edited.title[:40]} (edited {next(counter)})"
        )
        meeting.refresh_from_db(fields=["version"])
        return feeds.meeting_feed(meeting)

    import itertools

    counter = itertools.count()
    edited = meeting.sessions.order_by("pk").first()
    feeds.meeting_feed(Meeting.objects.get(pk=meeting.pk))
    edit_ms, edit_queries = measure(edited_feed, repeat=7)
    report("meeting feed rebuilt after one edit (edit + build)", edit_ms, edit_queries)
    personal_url = f"/m/{meeting.slug}/me/calendar/{token}.ics"
    holder = participant_queries.participant_for_calendar(meeting.slug, token)
    direct_ms, direct_queries = measure(lambda: personal_feeds.personal_feed(holder), repeat=15)
    report("personal feed, built (no HTTP)", direct_ms, direct_queries, 20)
    personal_ms, personal_queries = measure(lambda: client.get(personal_url), repeat=15)
    events = client.get(personal_url).content.count(b"BEGIN:VEVENT")
    report(f"personal feed ({events} events, GET)", personal_ms, personal_queries, 20)

    def cold_page(slug):
        def call():
            cache.clear()
            return client.get(f"/m/{slug}/agenda/")

        return call

    cold_page_ms, cold_page_queries = measure(cold_page(meeting.slug), repeat=5)
    report("public agenda page, 300 sessions, cold (GET)", cold_page_ms, cold_page_queries, 100)
    page_ms, page_queries = measure(lambda: client.get(f"/m/{meeting.slug}/agenda/"), repeat=7)
    report("public agenda page, 300 sessions, warm (GET)", page_ms, page_queries, 100)
    small_ms, small_queries = measure(cold_page(small.slug), repeat=5)
    report("public agenda page, 30 sessions, cold (GET)", small_ms, small_queries)
    page_queries = cold_page_queries
    verdict = "equal" if small_queries == page_queries else "NOT EQUAL"
    print(
        f"  agenda page queries (cold) at 30 and 300 sessions: {small_queries} and "
        f"{page_queries} ({verdict})"
    )
    if cold_queries > 5 or warm_queries > 5:
        print("  meeting feed queries OVER the budget of 5")
