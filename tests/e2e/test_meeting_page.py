"""The public pages and the participant portal in a real browser: keyboard, accessibility
rules (axe-core, WCAG 2.1 AA), no JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from agenda.demo import load_demo
from participants import services
from participants.models import Participant, Status
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def meeting_url(live_server):
    meeting = load_demo().meeting
    return f"{live_server.url}{meeting.get_absolute_url()}"


def test_meeting_page_skip_link_is_first_and_moves_focus_to_main(page, meeting_url):
    page.goto(meeting_url)

    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")

    assert first == ["skip-link", "Skip to main content"]
    assert focused == "main"


def test_meeting_page_has_no_wcag_21_aa_violations(page, meeting_url):
    page.goto(meeting_url)

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )

    assert results.violations_count == 0, results.generate_report()


def test_meeting_page_works_without_javascript(page_without_javascript, meeting_url):
    page = page_without_javascript

    response = page.goto(meeting_url)

    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text().startswith("Expert Group Meeting")
    assert page.get_by_role("heading", name="Thursday 19 November 2009").is_visible()
    assert page.get_by_text("Closing plenary: conclusions and recommendations").is_visible()
    assert page.get_by_text("All times are Africa/Accra (GMT)").is_visible()


def _axe_violations(page) -> tuple[int, str]:
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return results.violations_count, results.generate_report()


@pytest.mark.parametrize("path", ["/m/egm-social-integration-2009/agenda/", "/accounts/login/"])
def test_public_pages_have_no_wcag_21_aa_violations(page, live_server, path):
    load_demo()

    response = page.goto(f"{live_server.url}{path}")
    count, report = _axe_violations(page)

    assert response.status == 200
    assert count == 0, report


@pytest.fixture
def signed_in_participant(page, live_server, client):
    """A demo participant invited and accepted, signed in in the browser (session cookie)."""
    meeting = load_demo(today=timezone.localdate()).meeting
    invitee = Participant.objects.filter(meeting=meeting, status=Status.NOT_INVITED).first()
    services.invite_participants(meeting=meeting, participant_ids=[invitee.pk], sent_by=None)
    invitee.refresh_from_db()
    participant = services.accept_invitation(participant=invitee)
    client.force_login(participant.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return participant


@pytest.mark.parametrize("path", ["me/", "me/registration/", "me/data/"])
def test_participant_portal_pages_have_no_wcag_21_aa_violations(
    page, live_server, signed_in_participant, path
):
    response = page.goto(f"{live_server.url}/m/{signed_in_participant.meeting.slug}/{path}")
    count, report = _axe_violations(page)

    assert response.status == 200
    assert page.url.endswith(path)
    assert count == 0, report


def test_your_meetings_page_has_no_wcag_21_aa_violations(page, live_server, signed_in_participant):
    response = page.goto(f"{live_server.url}/my-meetings/")
    count, report = _axe_violations(page)

    assert response.status == 200
    assert page.url.endswith("/my-meetings/")
    assert count == 0, report


def test_organiser_participant_page_with_history_has_no_wcag_21_aa_violations(
    page, live_server, client
):
    meeting = load_demo(today=timezone.localdate()).meeting
    organiser = UserFactory(is_staff=True)
    meeting.organisers.add(organiser)
    participant = Participant.objects.get(
        meeting=meeting, deletion_request__isnull=False
    )  # the demo's pending deletion request
    services.set_status(
        participant=participant, to_status=Status.CANCELLED, changed_by=organiser, note="Ill"
    )
    client.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    path = f"/m/{meeting.slug}/organise/participants/{participant.pk}/"
    response = page.goto(f"{live_server.url}{path}")
    count, report = _axe_violations(page)

    assert response.status == 200
    assert page.get_by_role("heading", name="History").is_visible()
    assert page.get_by_role("button", name="Confirm: delete their personal data").is_visible()
    assert count == 0, report
