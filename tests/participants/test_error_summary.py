"""After a server-side error, forms open on a summary that links to each field in error."""

import pytest
from django.urls import reverse

from .support import accepted, clear_cache  # noqa: F401

pytestmark = pytest.mark.django_db


def test_registration_errors_open_on_a_summary_linking_each_field(client):
    participant = accepted()
    client.force_login(participant.user)

    response = client.post(
        reverse("participant:registration", kwargs={"slug": participant.meeting.slug}),
        {"passport_name": "", "passport_expires_on": "2000-01-01"},
    )

    page = response.content.decode()
    assert (
        '<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus' in page
    )
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_passport_name">Name exactly as in your passport: ' in summary
    assert '<a href="#id_passport_expires_on">Passport valid until: ' in summary
    assert 'id="id_passport_name"' in page
    assert '<script src="/static/js/error-summary.js" defer></script>' in page


def test_a_page_without_errors_has_no_summary(client):
    participant = accepted()
    client.force_login(participant.user)

    page = client.get(
        reverse("participant:registration", kwargs={"slug": participant.meeting.slug})
    ).content.decode()

    assert "error-summary" not in page.replace("js/error-summary.js", "")
