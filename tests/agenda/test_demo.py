"""The demo loader: the Accra meeting as the aide-memoire describes it, loaded idempotently."""

import datetime as dt
import hashlib
import io
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from agenda.demo import DEMO_SLUG, _session_uid
from agenda.models import Deadline, Meeting, RoleQuota, Session, SessionKind
from participants.models import (
    PaperVersion,
    Participant,
    Registration,
    Role,
    Status,
    StatusChange,
)
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of the project's models, field by field."""
    rows = {}
    for label in ("agenda", "participants", "logistics", "notifications"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(
                model._default_manager.values_list(), key=lambda row: row[0]
            )
    return rows


def test_load_demo_loads_the_accra_meeting():
    load()

    meeting = Meeting.objects.select_related("venue").get(slug=DEMO_SLUG)
    assert (meeting.venue.name, meeting.venue.city, meeting.venue.country.code) == (
        "ALISA Hotel",
        "Accra",
        "GH",
    )
    assert (meeting.starts_on, meeting.ends_on, meeting.time_zone) == (
        dt.date(2009, 11, 17),
        dt.date(2009, 11, 19),
        "Africa/Accra",
    )
    assert (meeting.capacity, meeting.paper_min_pages, meeting.paper_max_pages) == (35, 5, 10)
    assert meeting.contact_email.endswith("@example.org")
    assert RoleQuota.objects.get(meeting=meeting, role=Role.EXPERT).limit == 14
    assert meeting.venue.rooms.count() == 4


def test_load_demo_paper_deadline_is_end_of_5_november_in_accra():
    load()

    paper = Deadline.objects.get(meeting__slug=DEMO_SLUG, kind="paper")

    assert paper.due_at == dt.datetime(2009, 11, 5, 23, 59, 59, tzinfo=ACCRA)
    assert paper.roles == ["expert"]
    assert set(Deadline.objects.values_list("kind", flat=True)) == {
        "registration",
        "paper",
        "visa_request",
        "travel_details",
    }


def test_load_demo_participants_cover_every_role_and_status():
    load()

    participants = Participant.objects.filter(meeting__slug=DEMO_SLUG)
    roles = Counter(participants.values_list("role", flat=True))

    assert participants.count() == 35
    assert roles[Role.EXPERT] == 14
    assert roles[Role.CONSULTANT] == 1
    assert set(roles) == set(Role.values)
    assert set(participants.values_list("status", flat=True)) == set(Status.values)
    assert {email.split("@")[1] for email in participants.values_list("email", flat=True)} == {
        "example.org"
    }
    assert len(set(participants.values_list("country", flat=True))) > 15
    assert set(participants.values_list("gender", flat=True)) >= {"female", "male"}


def test_load_demo_status_history_ends_at_each_current_status():
    load()

    for participant in Participant.objects.filter(meeting__slug=DEMO_SLUG):
        steps = list(participant.status_changes.order_by("changed_at"))
        assert steps[0].from_status == ""
        assert steps[-1].to_status == participant.status
        assert [step.from_status for step in steps[1:]] == [step.to_status for step in steps[:-1]]
        assert participant.status_changed_at == steps[-1].changed_at


def test_load_demo_registers_those_registered_with_a_readable_passport():
    load()

    registered = Participant.objects.filter(
        meeting__slug=DEMO_SLUG, status__in=[Status.REGISTERED, Status.ATTENDED]
    )
    registration = Registration.objects.filter(participant__in=registered).first()

    assert Registration.objects.filter(participant__in=registered).count() == registered.count()
    assert registration.passport_number.startswith("X")


def test_load_demo_agenda_has_parallel_working_groups_in_different_rooms():
    load()

    groups = Session.objects.filter(meeting__slug=DEMO_SLUG, kind=SessionKind.WORKING_GROUP)
    by_start = Counter(groups.values_list("starts_at", flat=True))
    parallel = groups.filter(starts_at=max(by_start, key=by_start.get))

    assert max(by_start.values()) == 3
    assert len(set(parallel.values_list("room", flat=True))) == 3
    kinds = set(Session.objects.filter(meeting__slug=DEMO_SLUG).values_list("kind", flat=True))
    assert kinds == set(SessionKind.values)
    closing = Session.objects.get(meeting__slug=DEMO_SLUG, kind=SessionKind.CLOSING)
    assert "conclusions and recommendations" in closing.title
    assert closing.people.filter(part="facilitator", participant__role=Role.CONSULTANT).exists()


def test_load_demo_twice_changes_nothing():
    load()
    before = snapshot()

    output = load()

    assert snapshot() == before
    assert "nothing changed" in output


@time_machine.travel(dt.datetime(2026, 3, 4, 12, 0, tzinfo=ACCRA), tick=False)
def test_load_demo_today_moves_by_whole_weeks_keeping_weekdays_and_intervals():
    load()
    original = {
        session.uid: (session.starts_at, session.ends_at) for session in Session.objects.all()
    }

    load("--today")

    meeting = Meeting.objects.get(slug=DEMO_SLUG)
    due = Deadline.objects.get(meeting=meeting, kind="paper").due_at
    # Wednesday 4 March 2026: the paper deadline keeps its Thursday, 15 days on (ten or more).
    assert due == dt.datetime(2026, 3, 19, 23, 59, 59, tzinfo=ACCRA)
    shift = dt.date(2026, 3, 19) - dt.date(2009, 11, 5)
    assert shift.days % 7 == 0
    assert (meeting.starts_on, meeting.ends_on) == (dt.date(2026, 3, 31), dt.date(2026, 4, 2))
    assert meeting.starts_on.weekday() == dt.date(2009, 11, 17).weekday()
    for session in Session.objects.all():
        starts, ends = original[session.uid]
        assert (session.starts_at - starts, session.ends_at - ends) == (shift, shift)
        assert meeting.local(session.starts_at).time() == starts.astimezone(ACCRA).time()


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 3, 2, 0, 5, tzinfo=ACCRA),  # just after midnight on a Monday
        dt.datetime(2026, 3, 8, 23, 55, tzinfo=ACCRA),  # late on a Sunday
        dt.datetime(2026, 7, 16, 12, 0, tzinfo=ACCRA),  # a Thursday, the deadline's weekday
    ],
)
def test_load_demo_today_shows_no_status_dated_after_now(now):
    with time_machine.travel(now, tick=False):
        load("--today")

    meeting = Meeting.objects.get(slug=DEMO_SLUG)
    assert meeting.starts_at > now
    people = Participant.objects.filter(meeting=meeting)
    assert not people.filter(status=Status.ATTENDED).exists()
    assert not StatusChange.objects.filter(to_status=Status.ATTENDED).exists()
    moments = list(StatusChange.objects.values_list("changed_at", flat=True))
    moments += PaperVersion.objects.values_list("uploaded_at", flat=True)
    moments += Registration.objects.values_list("completed_at", flat=True)
    for name in ("status_changed_at", "invited_at", "responded_at", "registered_at"):
        moments += [moment for moment in people.values_list(name, flat=True) if moment]
    assert max(moments) < now
    # Each history keeps its intervals: it ends at the participant's current status.
    for participant in people:
        steps = list(participant.status_changes.order_by("changed_at"))
        assert steps[-1].to_status == participant.status
        assert participant.status_changed_at == steps[-1].changed_at


def test_load_demo_of_2009_shows_those_who_attended_and_today_takes_it_back():
    load()
    attended = set(
        Participant.objects.filter(status=Status.ATTENDED).values_list("email", flat=True)
    )
    assert len(attended) == 4

    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=ACCRA), tick=False):
        load("--today")
    assert set(Participant.objects.filter(email__in=attended).values_list("status", flat=True)) == {
        Status.REGISTERED
    }

    load()
    assert (
        set(Participant.objects.filter(status=Status.ATTENDED).values_list("email", flat=True))
        == attended
    )
    assert StatusChange.objects.filter(to_status=Status.ATTENDED).count() == 4


@time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=ACCRA), tick=False)
def test_load_demo_today_twice_changes_nothing():
    load("--today")
    before = snapshot()

    load("--today")

    assert snapshot() == before


def test_load_demo_refuses_a_different_meeting_with_the_slug():
    MeetingFactory(slug=DEMO_SLUG, title="Youth employment in West Africa")
    before = snapshot()

    with pytest.raises(CommandError) as error:
        load()

    assert "already exists ('Youth employment in West Africa'" in str(error.value)
    assert "Nothing was changed" in str(error.value)
    assert snapshot() == before


def test_load_demo_refuses_the_same_title_on_other_dates_it_did_not_load():
    from agenda.demo import DEMO_TITLE

    MeetingFactory(
        slug=DEMO_SLUG, title=DEMO_TITLE, starts_on=dt.date(2011, 5, 3), ends_on=dt.date(2011, 5, 5)
    )
    before = snapshot()

    with pytest.raises(CommandError, match="is not the demo meeting"):
        load()

    assert snapshot() == before


def test_load_demo_without_today_puts_the_2009_dates_back():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=ACCRA), tick=False):
        load("--today")

    load()

    meeting = Meeting.objects.get(slug=DEMO_SLUG)
    assert (meeting.starts_on, meeting.ends_on) == (dt.date(2009, 11, 17), dt.date(2009, 11, 19))
    assert Deadline.objects.get(meeting=meeting, kind="paper").due_at == dt.datetime(
        2009, 11, 5, 23, 59, 59, tzinfo=ACCRA
    )
    assert Participant.objects.filter(meeting=meeting).count() == 35


def test_load_demo_papers_fill_the_tracker(client):
    load()
    meeting = Meeting.objects.get(slug=DEMO_SLUG)
    organiser = UserFactory(email="organiser@example.org")
    meeting.organisers.add(organiser)
    client.force_login(organiser)

    tracker = client.get(reverse("papers:tracker", kwargs={"slug": DEMO_SLUG}))

    summary = (
        tracker.context["tracker"].submitted,
        tracker.context["tracker"].late,
        tracker.context["tracker"].out_of_range,
    )
    assert summary == (6, 1, 1)
    late = PaperVersion.objects.get(is_late=True)
    assert (late.paper.participant.family_name, late.page_count) == ("Ferreira Matos", 12)
    # 23:40 on 5 November in Accra is on time.
    assert PaperVersion.objects.get(paper__participant__family_name="Sankaran").is_late is False


def test_load_demo_documents_page_lists_published_papers_linked_to_their_session(client):
    load()
    session = Session.objects.get(meeting__slug=DEMO_SLUG, uid=_session_uid("d1-plenary-1"))

    page = client.get(reverse("papers:documents", kwargs={"slug": DEMO_SLUG})).content.decode()

    assert page.count('<article class="document"') == 3
    assert "Social protection floors and social integration in West Africa" in page
    assert "Cash transfers and social cohesion" not in page  # accepted, not published
    assert f'href="/m/{DEMO_SLUG}/#session-{session.pk}"' in page


def test_load_demo_paper_files_are_real_pdfs_served_to_the_public_once_published(client):
    load()
    version = PaperVersion.objects.get(paper__participant__family_name="Lindqvist")
    url = reverse("papers:download", kwargs={"slug": DEMO_SLUG, "version_id": version.pk})

    response = client.get(url)
    data = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(data)).pages) == 9
    assert hashlib.sha256(data).hexdigest() == version.sha256


def test_load_demo_writes_a_missing_paper_file_again():
    load()
    version = PaperVersion.objects.get(paper__participant__family_name="Okafor")
    version.file.storage.delete(version.file.name)

    load()

    version.refresh_from_db()
    with version.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == version.sha256


def test_load_demo_runs_each_apps_part_after_those_it_depends_on():
    from agenda import demo

    seen = []

    def travel_part(context):
        # A part of a higher app sees the programme and the people already loaded.
        seen.append((context.meeting.slug, len(context.sessions), len(context.people)))

    registered = list(demo._parts)
    try:
        demo.register_demo_part(travel_part, order=30)
        demo.register_demo_part(travel_part, order=30)
        load()
    finally:
        demo._parts[:] = registered

    assert seen == [(DEMO_SLUG, 26, 35)]


def _calendar_identity(meeting: Meeting) -> dict:
    return {
        "meeting": meeting.uid,
        "deadlines": dict(Deadline.objects.filter(meeting=meeting).values_list("kind", "uid")),
        "sequences": dict(Deadline.objects.filter(meeting=meeting).values_list("kind", "sequence")),
        "sessions": set(Session.objects.filter(meeting=meeting).values_list("uid", flat=True)),
    }


def test_load_demo_keeps_every_calendar_uid_across_runs(client):
    from agenda.demo import load_demo
    from participants.programme import services

    load()
    meeting = Meeting.objects.get(slug=DEMO_SLUG)
    expert = Participant.objects.filter(meeting=meeting, role=Role.EXPERT).first()
    token = services.ensure_calendar_token(participant=expert)
    url = reverse("agenda:personal_ics", kwargs={"slug": DEMO_SLUG, "token": token})
    before, feed_before = _calendar_identity(meeting), client.get(url).content

    load_demo()
    load()

    meeting = Meeting.objects.get(slug=DEMO_SLUG)
    assert _calendar_identity(meeting) == before
    uids = [line for line in client.get(url).content.split(b"\r\n") if line.startswith(b"UID:")]
    assert uids == [line for line in feed_before.split(b"\r\n") if line.startswith(b"UID:")]
    assert len(set(uids)) == len(uids) > 20


@time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=ACCRA), tick=False)
def test_load_demo_today_moves_deadlines_with_a_new_sequence_and_the_same_uid():
    load()
    before = _calendar_identity(Meeting.objects.get(slug=DEMO_SLUG))
    load("--today")
    after = _calendar_identity(Meeting.objects.get(slug=DEMO_SLUG))
    assert after["deadlines"] == before["deadlines"]
    assert after["sessions"] == before["sessions"]
    assert after["meeting"] == before["meeting"]
    assert set(after["sequences"].values()) == {1}
