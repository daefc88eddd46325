"""The organiser's morning in a real browser: sign in on the site with a password, land on
the dashboard, and reach a paper to review from the attention list, the tracker, a
participant, the papers, the agenda editor, the exports and the back office and back, by
following links alone (only the sign-in address is typed).

Every page is photographed at 1,280 and 375 px wide into ``test-artifacts/e2e/organiser/``
(not kept in git) and checked with axe-core (WCAG 2.1 AA): the site's pages must show no
violation. Django's own admin is not held to it (its tabular inlines have unlabelled fields
and its autocomplete widgets unnamed comboboxes); what axe finds there is written beside
the screenshots instead.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from agenda.demo import load_demo
from participants.organisers import ensure_organiser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 375)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e" / "organiser"
PASSWORD = "a-long-password-for-the-journey"


class Journey:
    """Checks each page at both widths and keeps what axe found, to assert once at the end."""

    def __init__(self, page):
        self.page = page
        self.step = 0
        self.violations: dict[str, str] = {}
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def check(self, name: str, *, ours: bool = True) -> None:
        self.step += 1
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(
                path=str(ARTIFACTS / f"{self.step:02d}-{name}-{width}.png"), full_page=True
            )
            results = Axe().run(
                self.page,
                options={
                    "runOnly": {"type": "tag", "values": WCAG_21_AA},
                    "resultTypes": ["violations"],
                },
            )
            if not results.violations_count:
                continue
            if ours:
                self.violations[f"{name} at {width} px"] = results.generate_report()
            else:
                (ARTIFACTS / f"{self.step:02d}-{name}-{width}-axe.txt").write_text(
                    results.generate_report()
                )
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def menu_link(page, label: str):
    return page.get_by_role("navigation", name="Organise").get_by_role(
        "link", name=label, exact=True
    )


def test_an_organiser_signs_in_and_reaches_every_page_by_links(page, live_server):
    meeting = load_demo().meeting
    ensure_organiser(email="organiser@example.org", password=PASSWORD, meetings=[meeting])
    journey = Journey(page)
    dashboard = f"{live_server.url}/m/{meeting.slug}/organise/"

    page.goto(f"{live_server.url}/accounts/login/")
    journey.check("sign-in")
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(dashboard)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dashboard")
    assert page.get_by_role("heading", name="Needs your attention").is_visible()
    journey.check("dashboard")

    page.get_by_role("link", name="1: Papers waiting for a review").click()
    page.wait_for_url(f"{dashboard}papers/?show=to_review")
    journey.check("papers-to-review")

    page.get_by_role("link", name=re.compile(r"^Review the paper of")).click()
    page.wait_for_url(re.compile(r".*/organise/papers/\d+/$"))
    journey.check("paper-review")

    menu_link(page, "Participants").click()
    page.wait_for_url(f"{dashboard}participants/")
    journey.check("participants")

    page.locator("td.row-actions a", has_text="Open").first.click()
    page.wait_for_url(f"{dashboard}participants/*/")
    journey.check("participant")

    menu_link(page, "Papers").click()
    page.wait_for_url(f"{dashboard}papers/")
    journey.check("papers")

    page.get_by_role("link", name="Late: 1").click()
    page.wait_for_url(f"{dashboard}papers/?show=late")
    assert page.locator("table tbody tr").count() == 1
    journey.check("papers-late")

    menu_link(page, "Agenda").click()
    page.wait_for_url(f"{dashboard}agenda/")
    journey.check("agenda")

    menu_link(page, "Exports").click()
    page.wait_for_url(f"{dashboard}exports/")
    journey.check("exports")

    menu_link(page, "Admin").click()
    page.wait_for_url(f"{live_server.url}/admin/agenda/meeting/{meeting.pk}/change/")
    journey.check("admin-meeting", ours=False)

    page.locator(".object-tools").get_by_role("link", name="Organiser pages").click()
    page.wait_for_url(dashboard)
    assert page.url == dashboard

    assert journey.violations == {}, "\n\n".join(
        f"{where}:\n{report}" for where, report in journey.violations.items()
    )
    assert len(list(ARTIFACTS.glob("*.png"))) >= 2 * journey.step
