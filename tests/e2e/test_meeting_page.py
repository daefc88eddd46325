"""The public meeting page in a real browser: keyboard, accessibility rules, no JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from agenda.demo import load_demo

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
