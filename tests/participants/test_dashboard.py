"""The organiser dashboard: every number equals the list it links to, every link opens, the
query count stays the same whatever the number of participants, and the panel registry."""

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from agenda.demo import load_demo
from agenda.models import DeadlineKind, RoleQuota
from notifications import reminders as notify
from notifications.models import Message, MessageStatus, ReminderAudience, ReminderRule
from participants import contributions
from participants.dashboard import charts
from participants.dashboard.panels import Bar, BarChart, Panel, Row
from participants.models import Paper, PaperVersion, Participant, Role, Status
from participants.organisers import ensure_organiser
from tests.factories import (
    DeadlineFactory,
    MeetingFactory,
    MessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"


@pytest.fixture
def demo():
    return load_demo().meeting


@pytest.fixture
def organiser_client(client, demo):
    user, _ = ensure_organiser(email="organiser@example.org", password=PASSWORD, meetings=[demo])
    client.force_login(user)
    return client


def dashboard_url(meeting) -> str:
    return reverse("participants:dashboard", kwargs={"slug": meeting.slug})


def listed(client, url: str) -> int:
    """How many rows the list behind ``url`` shows, read from the page that lists them."""
    response = client.get(url)
    assert response.status_code == 200, url
    name = resolve(urlsplit(url).path).view_name
    if name == "participants:tracker":
        return response.context["balance"]["total"]
    if name == "papers:tracker":
        return len(response.context["tracker"].rows)
    if name == "admin:notifications_message_changelist":
        return response.context["cl"].result_count
    if name == "reminders:rule":
        return len(response.context["preview"].recipients)
    raise AssertionError(f"no list known behind {url}")


def numbers_and_links(panels) -> list[tuple[str, int, str]]:
    found = []
    for panel, _ in panels:
        if panel.slug == "logistics":
            continue  # its numbers and pages: tests/logistics/test_dashboard.py
        for row in panel.rows:
            if row.number is not None and row.url:
                found.append((f"{panel.title}: {row.label}", row.number, row.url))
        for table in panel.tables:
            for label, cells in table.rows:
                for column, cell in zip(table.columns, cells, strict=True):
                    if cell.number is not None and cell.url:
                        found.append((f"{panel.title}: {label}, {column}", cell.number, cell.url))
        for item in panel.attention:
            if item.number is not None:
                found.append((f"{panel.title}: {item.text}", item.number, item.url))
    return found


def test_an_organiser_lands_on_the_dashboard_of_their_meeting(client, demo):
    user, _ = ensure_organiser(email="organiser@example.org", password=PASSWORD, meetings=[demo])

    response = client.post(
        reverse("account_login"), {"login": "organiser@example.org", "password": PASSWORD}
    )

    assert response["Location"] == f"/m/{demo.slug}/organise/"
    assert client.get(response["Location"]).status_code == 200


def test_every_number_equals_the_count_of_the_list_it_links_to(organiser_client, demo):
    MessageFactory.create_batch(2, meeting=demo, status=MessageStatus.FAILED)
    MessageFactory(meeting=demo, status=MessageStatus.QUEUED)
    MessageFactory(meeting=demo, status=MessageStatus.SENT)
    MessageFactory(meeting=MeetingFactory(), status=MessageStatus.FAILED)  # another meeting's

    response = organiser_client.get(dashboard_url(demo))
    checked = numbers_and_links(response.context["panels"])

    assert response.status_code == 200
    assert len(checked) > 60
    counted = [(what, number, listed(organiser_client, url)) for what, number, url in checked]
    assert [item for item in counted if item[1] != item[2]] == []


def test_the_demo_shows_its_known_numbers(organiser_client, demo):
    MessageFactory.create_batch(2, meeting=demo, status=MessageStatus.FAILED)

    response = organiser_client.get(dashboard_url(demo))
    page = unescape(response.content.decode())
    panels = {panel.slug: panel for panel, _ in response.context["panels"]}

    papers = {row.label: row.number for row in panels["papers"].rows}
    outbox = {row.label: row.number for row in panels["outbox"].rows}
    assert papers == {
        "Owe a paper": 12,
        "Submitted": 6,
        "Still missing": 6,
        "Late": 1,
        "Outside the page range": 1,
        "Waiting for a review": 1,
    }
    mail = Message.objects.filter(meeting=demo)
    assert outbox == {
        "Queued": mail.filter(status=MessageStatus.QUEUED).count(),
        "Sending": mail.filter(status=MessageStatus.SENDING).count(),
        "Failed": 2,
        "Sent": mail.filter(status=MessageStatus.SENT).count(),
    }
    assert [panel.title for panel in panels.values()] == [
        "Invitations",
        "Gender and regional balance",
        "Papers",
        "Logistics",
        "Deadlines",
        "Reminders before the deadlines",
        "Outbox",
    ]
    assert "<strong>2</strong>: Emails that failed" in page
    assert "<strong>1</strong>: Papers waiting for a review" in page


def test_every_link_on_the_dashboard_opens(organiser_client, demo):
    page = organiser_client.get(dashboard_url(demo)).content.decode()
    hrefs = sorted({unescape(href) for href in re.findall(r'href="([^"#]+)"', page)})
    pages = [href for href in hrefs if href.startswith("/") and not href.startswith("/static/")]

    statuses = {href: organiser_client.get(href).status_code for href in pages}

    assert len(pages) > 40
    assert {href: status for href, status in statuses.items() if status != 200} == {}


def test_the_dashboard_is_for_the_meetings_organisers_only(client, demo):
    other = UserFactory(email="other@example.org", is_staff=True)
    other_meeting = MeetingFactory(slug="elsewhere")
    other_meeting.organisers.add(other)
    url = dashboard_url(demo)

    assert client.get(url)["Location"] == f"/accounts/login/?next={url}"
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_panels_draw_charts_with_text_equivalents(organiser_client, demo):
    page = organiser_client.get(dashboard_url(demo)).content.decode()

    assert page.count('<svg role="img"') == 7  # logistics: arrivals, rooms per night
    # Only the site's deferred scripts (progressive enhancement): no inline script.
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert 'aria-labelledby="chart-invitations-1"' in page
    title = re.search(r'<title id="chart-invitations-1">([^<]*)</title>', page).group(1)
    assert ": Expert 11 of 14; UN Secretariat 5; " in title


def test_the_chart_scales_bars_to_the_largest_value_or_limit():
    drawing = charts.layout(BarChart("Seats", [Bar("Expert", 7, 14), Bar("Observer", 0)]))

    assert [bar.width for bar in drawing.bars] == [charts.BAR_SPACE // 2, 1]
    assert drawing.bars[0].limit_x == charts.LABEL_WIDTH + charts.BAR_SPACE
    assert drawing.bars[1].limit_x is None
    assert drawing.has_limits


def _bulk_meeting(size: int):
    """A meeting of ``size`` participants in every status and role, half with a paper."""
    meeting = MeetingFactory(slug=f"bulk-{size}", capacity=size)
    # Ahead, with reminder rules: the reminders panel counts each rule's audience.
    deadline = DeadlineFactory(
        meeting=meeting,
        kind=DeadlineKind.PAPER,
        due_at=timezone.now() + dt.timedelta(days=20),
        roles=[],
    )
    for name, audience, active in (
        ("Papers", ReminderAudience.PAPER_MISSING, True),
        ("Registration", ReminderAudience.NOT_REGISTERED, True),
        ("Answers", ReminderAudience.NOT_ANSWERED, False),
    ):
        ReminderRule.objects.create(
            deadline=deadline,
            name=name,
            audience=audience,
            offsets=[{"days": 14, "time": "08:00"}, {"days": 2, "time": "08:00"}],
            subject_template="Reminder",
            body_template="Dear {{ name }}",
            is_active=active,
        )
    RoleQuota.objects.create(meeting=meeting, role=Role.EXPERT, limit=14)
    statuses, roles = list(Status.values), list(Role.values)
    now = timezone.now()
    people = Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            email=f"p{index}@example.org",
            given_name=f"Given{index}",
            family_name=f"Family{index}",
            role=roles[index % len(roles)],
            status=statuses[index % len(statuses)],
            gender=("female", "male", "")[index % 3],
            region=("africa", "asia", "europe", "")[index % 4],
        )
        for index in range(size)
    )
    papers = Paper.objects.bulk_create(
        Paper(participant=person, title=f"Paper {person.pk}") for person in people[::2]
    )
    versions = PaperVersion.objects.bulk_create(
        PaperVersion(
            paper=paper,
            number=1,
            file=f"papers/{paper.pk}.pdf",
            original_name="paper.pdf",
            content_type="application/pdf",
            size=1000,
            sha256=f"{paper.pk:064d}",
            page_count=3 + paper.pk % 9,
            uploaded_at=now,
            is_late=bool(paper.pk % 2),
        )
        for paper in papers
    )
    for paper, version in zip(papers, versions, strict=True):
        paper.current_version = version
    Paper.objects.bulk_update(papers, ["current_version"])
    Message.objects.bulk_create(
        Message(
            meeting=meeting,
            recipient=f"p{index}@example.org",
            subject="s",
            body_text="b",
            kind="k",
            idempotency_key=f"bulk-{size}-{index}",
            status=(MessageStatus.FAILED, MessageStatus.SENT)[index % 2],
        )
        for index in range(size // 10)
    )
    return meeting


def test_the_query_count_does_not_grow_with_the_number_of_participants(
    client, django_assert_num_queries
):
    small, large = _bulk_meeting(35), _bulk_meeting(2000)
    user, _ = ensure_organiser(
        email="organiser@example.org", password=PASSWORD, meetings=[small, large]
    )
    client.force_login(user)

    with django_assert_num_queries(21) as at_35:
        assert client.get(dashboard_url(small)).status_code == 200
    with django_assert_num_queries(len(at_35.captured_queries)):
        response = client.get(dashboard_url(large))

    invitations = response.context["panels"][0][0]
    assert {row.label: row.number for row in invitations.rows}["Holding a seat"] == 750
    reminders = next(panel for panel, _ in response.context["panels"] if panel.slug == "reminders")
    (table,) = reminders.tables
    rules = ReminderRule.objects.filter(deadline__meeting=large).order_by("name")
    owed = [notify.audience(rule).count() for rule in rules for _ in range(2)]
    assert [cells[2].number for _, cells in table.rows] == owed
    # Answers (paused) and Registration: 250 invited, 250 accepted; every expert has a paper.
    assert owed == [250, 250, 0, 0, 250, 250]


def test_a_registered_panel_appears_in_order_and_none_is_left_out(
    organiser_client, demo, monkeypatch
):
    monkeypatch.setattr(contributions, "_panel_sources", list(contributions._panel_sources))

    def visas(meeting):
        return Panel(title="Visa letters", slug="visas", rows=[Row("Requested", 3)])

    def nothing(meeting):
        return None

    contributions.register_dashboard_panel(visas, order=45)
    contributions.register_dashboard_panel(visas, order=45)
    contributions.register_dashboard_panel(nothing, order=1)
    panels = organiser_client.get(dashboard_url(demo)).context["panels"]

    assert [panel.slug for panel, _ in panels] == [
        "invitations",
        "balance",
        "papers",
        "logistics",
        "visas",
        "deadlines",
        "reminders",
        "outbox",
    ]


def test_deadlines_say_how_many_still_owe_each(organiser_client, demo):
    demo.deadlines.filter(kind=DeadlineKind.PAPER).update(
        due_at=timezone.now() + dt.timedelta(days=10, hours=1)
    )

    panels = organiser_client.get(dashboard_url(demo)).context["panels"]
    deadlines = next(panel for panel, _ in panels if panel.slug == "deadlines")
    paper = next(row for row in deadlines.rows if row.label.startswith("Expert paper"))

    assert paper.number == 6
    assert paper.note == "in 1 week; still to do:"
    assert paper.url == f"/m/{demo.slug}/organise/papers/?show=missing"


def test_the_exports_page_lists_downloads_that_open(organiser_client, demo):
    page = organiser_client.get(reverse("participants:exports", kwargs={"slug": demo.slug}))
    downloads = page.context["downloads"]

    assert [label for label, _ in downloads][:3] == [
        "Participants (CSV)",
        "Participants (Excel, XLSX)",
        "All current papers (ZIP)",
    ]
    assert {url: organiser_client.get(url).status_code for _, url in downloads} == {
        url: 200 for _, url in downloads
    }
