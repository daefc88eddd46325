"""The organiser's status change in a browser: the menu starts empty, cancelling asks first
(a plain form, no script involved), and the confirmation page passes axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from agenda.demo import load_demo
from participants.models import Participant, Status
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cancelling_asks_to_confirm_first(page, live_server, client):
    meeting = load_demo(today=timezone.localdate()).meeting
    person = Participant.objects.filter(meeting=meeting, status=Status.ACCEPTED).first()
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    client.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/m/{meeting.slug}/organise/participants/{person.pk}/")

    menu = page.get_by_label("New status (required)")
    assert menu.input_value() == ""
    menu.select_option(label="Cancelled")
    page.get_by_role("button", name="Change status").click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Mark {person.formal_name} as cancelled?"
    )
    person.refresh_from_db()
    assert person.status == Status.ACCEPTED
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("button", name="Yes, mark as cancelled").click()

    person.refresh_from_db()
    assert person.status == Status.CANCELLED
    assert page.get_by_text("Status changed.").is_visible()
