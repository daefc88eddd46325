"""A form sent back with errors opens on its error summary, with or without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from agenda.demo import load_demo
from participants import services
from participants.models import Participant, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, client):
    meeting = load_demo(today=timezone.localdate()).meeting
    invitee = Participant.objects.filter(meeting=meeting, status=Status.NOT_INVITED).first()
    services.invite_participants(meeting=meeting, participant_ids=[invitee.pk], sent_by=None)
    invitee.refresh_from_db()
    participant = services.accept_invitation(participant=invitee)
    client.force_login(participant.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return f"{live_server.url}/m/{meeting.slug}/me/registration/"


def test_focus_moves_to_the_summary_and_its_links_reach_the_fields(page, live_server, client):
    page.goto(_sign_in(page, live_server, client))

    page.get_by_role("button", name="Save registration").click()
    page.wait_for_selector("#error-summary")

    assert page.evaluate("document.activeElement.id") == "error-summary"
    first_link = page.locator("#error-summary a").first
    target = first_link.get_attribute("href")[1:]
    first_link.click()
    assert page.evaluate("document.activeElement.id") == target


def test_focus_moves_to_the_summary_without_javascript(
    page_without_javascript, live_server, client
):
    page = page_without_javascript
    page.goto(_sign_in(page, live_server, client))

    page.get_by_role("button", name="Save registration").click()
    page.wait_for_selector("#error-summary")

    assert page.evaluate("document.activeElement.id") == "error-summary"


def test_page_with_an_error_summary_has_no_wcag_21_aa_violations(page, live_server, client):
    page.goto(_sign_in(page, live_server, client))
    page.get_by_role("button", name="Save registration").click()
    page.wait_for_selector("#error-summary")

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )

    assert results.violations_count == 0, results.generate_report()
