"""The logistics overview counts every letter once by state, a revoked letter that a re-issue
superseded included, and each figure opens the letters page filtered to it."""

import re

import pytest
from django.urls import reverse

from agenda.demo import load_demo
from logistics import services
from participants.models import Registration
from participants.organisers import ensure_organiser

from .support import (
    accra_meeting,
    embassy_for,
    organiser_of,
    registered,
)

pytestmark = pytest.mark.django_db


def _figures(page: str) -> dict[str, tuple[str, int]]:
    """The overview's letter figures: state -> (link, number)."""
    found = re.findall(r'href="([^"]+\?state=(\w+))">(\d+)</a>', page)
    return {state: (url, int(number)) for url, state, number in found}


def _revoked_letters_listed(page: str) -> int:
    return page.count('class="letter-state-revoked"')


def test_a_revoked_letter_superseded_by_a_new_one_still_counts_as_revoked(client):
    meeting = accra_meeting()
    embassy_for(meeting)
    organiser = organiser_of(meeting)
    reissued, revoked, valid, outdated = (
        registered(meeting, email=f"{name}@example.org", user=None)
        for name in ("reissued", "revoked", "valid", "outdated")
    )
    first = services.issue_letter(participant=reissued, kind="visa", by=organiser)
    replacement = services.reissue_letter(letter=first, by=organiser)
    services.revoke_letter(
        letter=services.issue_letter(participant=revoked, kind="visa", by=organiser),
        by=organiser,
        reason="Participation cancelled",
    )
    services.issue_letter(participant=valid, kind="visa", by=organiser)
    services.issue_letter(participant=outdated, kind="visa", by=organiser)
    Registration.objects.filter(participant=outdated).update(passport_number="NEW99999")
    client.force_login(organiser)

    page = client.get(reverse("logistics:organise", kwargs={"slug": meeting.slug})).content.decode()
    figures = _figures(page)

    assert {state: number for state, (_, number) in figures.items()} == {
        "valid": 2,
        "outdated": 1,
        "revoked": 2,
    }
    assert "(1 of them superseded by a new letter)" in page
    listed = client.get(figures["revoked"][0])
    shown = listed.content.decode()
    assert [row.participant for row in listed.context["rows"]] == sorted(
        [reissued, revoked], key=lambda person: (person.family_name, person.given_name, person.pk)
    )
    assert _revoked_letters_listed(shown) == 2
    assert f"{first.reference}</a>: Revoked (superseded by {replacement.reference})" in shown
    for state in ("valid", "outdated"):
        rows = client.get(figures[state][0]).context["rows"]
        held = [letter for row in rows for letter in row.all_letters() if letter.state == state]
        assert len(held) == figures[state][1]


def test_the_demo_overview_counts_its_revoked_and_reissued_letter(client):
    meeting = load_demo().meeting
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-pw-1", meetings=[meeting]
    )
    client.force_login(user)

    page = client.get(reverse("logistics:organise", kwargs={"slug": meeting.slug})).content.decode()

    url, revoked = _figures(page)["revoked"]
    assert revoked == 1
    assert "(1 of them superseded by a new letter)" in page
    assert _revoked_letters_listed(client.get(url).content.decode()) == 1


def test_the_dashboards_visa_letter_numbers_equal_the_letters_they_list(client):
    meeting = load_demo().meeting
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-pw-1", meetings=[meeting]
    )
    client.force_login(user)
    response = client.get(reverse("participants:dashboard", kwargs={"slug": meeting.slug}))
    (panel,) = [panel for panel, _ in response.context["panels"] if panel.slug == "logistics"]

    for label, state in (("Visa letters in force", "valid"), ("Visa letters outdated", "outdated")):
        (row,) = [row for row in panel.rows if row.label == label]
        rows = client.get(row.url).context["rows"]
        listed = [
            letter
            for each in rows
            for letter in each.all_letters()
            if (letter.state, letter.kind) == (state, "visa")
        ]
        assert (label, len(listed)) == (label, row.number)
        assert row.number > 0
