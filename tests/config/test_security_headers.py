"""Headers every page sends: a Content Security Policy that runs no inline script, and
``Cache-Control: no-store`` on the pages that show passport data. And the templates keep
no inline script or style that such a policy would block."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from participants.models import Status
from participants.organisers import ensure_organiser
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if " " in part.strip())


@pytest.fixture
def registered(db):
    meeting = MeetingFactory(slug="accra-2009")
    user = UserFactory(email="ama@example.org")
    participant = ParticipantFactory(
        meeting=meeting, user=user, email=user.email, status=Status.REGISTERED
    )
    RegistrationFactory(participant=participant, passport_number="G7654321")
    organiser, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-test-password", meetings=[meeting]
    )
    return meeting, participant, organiser


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/m/accra-2009/",
        "/m/accra-2009/agenda/",
        "/m/accra-2009/documents/",
        "/accounts/login/",
        "/admin/login/",
        "/m/no-such-meeting/",
    ],
)
def test_every_page_sends_a_policy_without_inline_script(client, registered, url):
    response = client.get(url)

    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_signed_in_pages_send_the_policy_too(client, registered):
    meeting, participant, organiser = registered
    client.force_login(organiser)

    for url in (
        reverse("participant:organise_participant", args=[meeting.slug, participant.pk]),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response)["script-src"] == "'self'", url


def test_pages_with_passport_data_are_never_stored_in_a_cache(client, registered):
    meeting, participant, organiser = registered
    pages = []
    client.force_login(participant.user)
    pages.append(client.get(reverse("participant:registration", args=[meeting.slug])))
    client.force_login(organiser)
    pages.append(
        client.get(reverse("participant:organise_participant", args=[meeting.slug, participant.pk]))
    )
    pages.append(
        client.get(
            reverse("participant:organise_registration", args=[meeting.slug, participant.pk])
        )
    )
    pages.append(
        client.get(
            reverse("admin:participants_registration_change", args=[participant.registration.pk])
        )
    )

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert "G7654321" in pages[1].text
    for page in pages:
        assert "no-store" in page["Cache-Control"]
        assert "private" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_public_pages_stay_cacheable(client, registered):
    response = client.get("/m/accra-2009/")

    assert "no-store" not in response.get("Cache-Control", "")


INLINE = [
    ("inline script", re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)),
    ("style element", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def page_templates() -> list[Path]:
    # Email bodies are not pages: mail clients need their styles inline.
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if "email" not in path.relative_to(TEMPLATES).parts
    )


def test_no_page_template_holds_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}: {what}"
        for path in page_templates()
        for what, pattern in INLINE
        if pattern.search(path.read_text())
    ]

    assert page_templates()
    assert found == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<p style="color: red">',
        '<button onclick="go()">',
        "<style>p {}</style>",
        '<a href="javascript:void(0)">',
    ],
)
def test_inline_check_spots_each_kind(snippet):
    assert any(pattern.search(snippet) for _, pattern in INLINE)
