"""Small things a first-time user tripped over: labels said twice, names said two ways, pages
that send people to the secretariat without its address, a missing favicon, dead ends."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from agenda.models import SessionKind
from agenda.queries import kind_line
from tests.factories import (
    MeetingFactory,
    SessionFactory,
    UserFactory,
    WorkingGroupFactory,
)

from .support import accepted, clear_cache, invited  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("group_name", "expected"),
    [
        ("Working group 1", "Working group 1"),
        ("working group on youth", "working group on youth"),
        ("Youth and employment", "Working group: Youth and employment"),
        (None, "Working group"),
    ],
)
def test_kind_line_does_not_repeat_the_kind(group_name, expected):
    group = WorkingGroupFactory.build(name=group_name) if group_name else None
    assert kind_line("Working group", group) == expected


def test_agenda_names_a_numbered_working_group_once(client):
    meeting = MeetingFactory(is_published=True)
    group = WorkingGroupFactory(meeting=meeting, name="Working group 1")
    SessionFactory(meeting=meeting, kind=SessionKind.WORKING_GROUP, working_group=group)

    page = client.get(reverse("agenda:agenda", kwargs={"slug": meeting.slug})).content.decode()

    assert "Working group 1" in page
    assert "Working group: Working group 1" not in page


def test_tracker_heading_keeps_the_meeting_apart_from_participants(client):
    meeting = MeetingFactory(title="Social integration", short_title="")
    user = UserFactory()
    meeting.organisers.add(user)
    client.force_login(user)

    page = client.get(
        reverse("participants:tracker", kwargs={"slug": meeting.slug})
    ).content.decode()

    assert (
        '<h1>Participants<span class="visually-hidden">,</span> '
        '<span class="subtitle">Social integration</span></h1>'
    ) in page


def test_documents_are_named_one_way(client):
    meeting = MeetingFactory(is_published=True)
    documents = reverse("papers:documents", kwargs={"slug": meeting.slug})

    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    documents_page = client.get(documents).content.decode()

    assert f'<a href="{documents}">Documents of the meeting</a>' in meeting_page
    assert "<h1>Documents of the meeting</h1>" in documents_page
    assert "<title>Documents of the meeting |" in documents_page


def test_invalid_invitation_page_gives_the_secretariat_address(client):
    participant, _ = invited()
    meeting = participant.meeting
    meeting.contact_name = "DSPD secretariat"
    meeting.contact_email = "egm@example.org"
    meeting.save()

    response = client.get(
        reverse("participant:invitation", kwargs={"slug": meeting.slug, "token": "x" * 43})
    )

    assert response.status_code == 404
    assert (
        "write to the meeting's secretariat (DSPD secretariat) at "
        '<a href="mailto:egm@example.org">egm@example.org</a>.'
    ) in response.content.decode()


def test_every_page_names_a_favicon_that_exists(client):
    page = client.get(reverse("account_login")).content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg") is not None


def test_paper_page_links_back_to_the_portal(client):
    participant = accepted()
    client.force_login(participant.user)
    slug = participant.meeting.slug

    page = client.get(reverse("papers:submit", kwargs={"slug": slug})).content.decode()

    assert f'<a href="/m/{slug}/me/">Back to your participation</a>' in page
