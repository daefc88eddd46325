"""Finding one's way: the same organiser menu on every organiser page, an "Organise" link on
public pages for the meeting's organisers only, links both ways between the back office and
the organiser pages."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from agenda.demo import load_demo
from agenda.models import Session
from participants.dashboard.menu import menu, outbox_url, safe_reverse
from participants.models import Paper, Participant
from participants.organisers import ensure_organiser
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="organise-menu".*?</nav>', re.S)


@pytest.fixture
def demo():
    return load_demo().meeting


@pytest.fixture
def organiser(demo):
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-password-1", meetings=[demo]
    )
    return user


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def organiser_pages(meeting) -> list[str]:
    """Every organiser URL of the meeting that a GET can open, ids taken from the demo."""
    session = Session.objects.filter(meeting=meeting).first()
    participant = Participant.objects.filter(meeting=meeting, status="registered").first()
    paper = Paper.objects.filter(participant__meeting=meeting).first()
    values = {
        "<slug:slug>": meeting.slug,
        "<int:paper_id>": str(paper.pk),
        "organise/agenda/<int:pk>": f"organise/agenda/{session.pk}",
        "participants/<int:pk>": f"participants/{participant.pk}",
    }
    pages = []
    for route in _routes(get_resolver().url_patterns):
        if "/organise/" not in f"/{route}":
            continue
        for placeholder, value in values.items():
            route = route.replace(placeholder, value)
        if "<" not in route:
            pages.append(f"/{route}")
    return pages


def test_every_organiser_page_has_the_same_menu(client, demo, organiser):
    client.force_login(organiser)
    menus = {}
    for url in organiser_pages(demo):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found = MENU.findall(response.content.decode())
            assert len(found) == 1, url
            menus[url] = found[0].replace(' aria-current="page"', "")

    assert len(menus) >= 10
    assert len(set(menus.values())) == 1
    menu_html = next(iter(menus.values()))
    for href in (
        f"/m/{demo.slug}/organise/",
        f"/m/{demo.slug}/organise/participants/",
        f"/m/{demo.slug}/organise/agenda/",
        f"/m/{demo.slug}/organise/papers/",
        f"/m/{demo.slug}/organise/exports/",
        f"/m/{demo.slug}/organise/import/",
        f"/admin/agenda/meeting/{demo.pk}/change/",
        f"/m/{demo.slug}/organise/outbox/",
    ):
        assert f'href="{href}"' in menu_html, href


def test_the_menu_marks_the_page_one_is_on(client, demo, organiser):
    client.force_login(organiser)
    participant = Participant.objects.filter(meeting=demo).first()

    page = client.get(f"/m/{demo.slug}/organise/participants/{participant.pk}/").content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', MENU.search(page).group(0))

    assert current == [f"/m/{demo.slug}/organise/participants/"]


def test_the_organiser_edits_a_registration_under_the_menu_but_the_participant_does_not(
    client, demo, organiser
):
    participant = Participant.objects.filter(meeting=demo, status="registered").first()
    client.force_login(organiser)
    as_organiser = client.get(
        f"/m/{demo.slug}/organise/participants/{participant.pk}/registration/"
    )
    participant.user = UserFactory(email=participant.email)
    participant.save(update_fields=["user"])
    client.force_login(participant.user)
    as_participant = client.get(f"/m/{demo.slug}/me/registration/")

    assert MENU.search(as_organiser.content.decode())
    assert as_participant.status_code == 200
    assert not MENU.search(as_participant.content.decode())


def _logistics_page(request, slug):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = get_resolver().url_patterns + [
    path(
        "",
        (
            [path("m/<slug:slug>/organise/logistics/", _logistics_page, name="organise")],
            "logistics",
            "logistics",
        ),
    ),
    path(
        "",
        (
            [path("m/<slug:slug>/organise/outbox/", _logistics_page, name="outbox")],
            "notifications",
            "notifications",
        ),
    ),
]


def test_logistics_and_an_outbox_page_join_the_menu_once_their_urls_exist(settings, demo):
    settings.ROOT_URLCONF = __name__

    links = {link.label: link.url for link in menu(demo)}

    assert links["Logistics"] == f"/m/{demo.slug}/organise/logistics/"
    assert links["Outbox"] == f"/m/{demo.slug}/organise/outbox/"
    assert outbox_url(demo, "failed") == f"/m/{demo.slug}/organise/outbox/?status=failed"


def test_safe_reverse_answers_nothing_for_a_url_not_installed():
    assert safe_reverse("nowhere:page", slug="x") == ""
    assert safe_reverse("participants:tracker", slug="x", query={"status": ""}) == (
        "/m/x/organise/participants/"
    )


# Public pages -------------------------------------------------------------------------------

PUBLIC_PAGES = ["", "agenda/", "documents/", "participants/"]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_offer_organise_to_the_meetings_organisers(client, demo, organiser, page):
    client.force_login(organiser)

    html = client.get(f"/m/{demo.slug}/{page}").content.decode()

    assert f'<a href="/m/{demo.slug}/organise/">Organise<span class="visually-hidden">' in html


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_offer_organise_to_nobody_else(client, demo, page):
    other_organiser, _ = ensure_organiser(
        email="other@example.org", password="a-long-password-1", meetings=[MeetingFactory()]
    )
    participant = Participant.objects.filter(meeting=demo).first()
    participant.user = UserFactory(email=participant.email)
    participant.save(update_fields=["user"])
    url = f"/m/{demo.slug}/{page}"

    anonymous = client.get(url).content.decode()
    client.force_login(other_organiser)
    other = client.get(url).content.decode()
    client.force_login(participant.user)
    as_participant = client.get(url).content.decode()

    for html in (anonymous, other, as_participant):
        assert f'href="/m/{demo.slug}/organise/"' not in html
        assert not MENU.search(html)


# The back office ------------------------------------------------------------------------------


def test_the_back_office_links_to_the_organiser_pages(client, demo, organiser):
    client.force_login(organiser)

    index = client.get(reverse("admin:index")).content.decode()
    change = client.get(reverse("admin:agenda_meeting_change", args=[demo.pk])).content.decode()

    assert '<a href="/my-meetings/">Organiser pages</a>' in index
    assert f'<a href="/m/{demo.slug}/organise/">Organiser pages</a>' in change


def test_the_organiser_pages_link_to_the_meeting_in_the_back_office(client, demo, organiser):
    client.force_login(organiser)

    page = client.get(f"/m/{demo.slug}/organise/").content.decode()

    assert f'href="/admin/agenda/meeting/{demo.pk}/change/" class="back-office">Admin</a>' in page
    assert client.get(f"/admin/agenda/meeting/{demo.pk}/change/").status_code == 200


def test_your_meetings_links_each_meetings_dashboard(client, demo, organiser):
    client.force_login(organiser)

    page = client.get(reverse("participant:my_meetings")).content.decode()

    assert f'href="/m/{demo.slug}/organise/">dashboard</a>' in page
