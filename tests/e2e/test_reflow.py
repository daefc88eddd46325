"""Pages reflow (WCAG 2.1 success criterion 1.4.10): nothing scrolls sideways at 320 and
375 CSS pixels, and the organisers' tracker fits a 1,280 px window."""

import pytest
from django.utils import timezone

from agenda.demo import load_demo
from participants.models import Paper
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONES = [320, 375]
# Named in a failure: the elements that reach past the viewport's right edge.
OVERFLOWING = """() => {
  const edge = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > edge + 0.5)
    .slice(0, 8)
    .map((el) => `${el.tagName}.${el.className}: ${(el.textContent || "").trim().slice(0, 40)}`);
}"""


@pytest.fixture
def demo(page, live_server, client):
    """The demo meeting in the present; the browser signed in as an organiser who also wrote
    a paper, so every page of both sides opens in the one session."""
    meeting = load_demo(today=timezone.localdate()).meeting
    paper = Paper.objects.filter(
        participant__meeting=meeting, current_version__isnull=False
    ).first()
    author = paper.participant
    if author.user is None:
        author.user = UserFactory(email=author.email)
        author.save(update_fields=["user"])
    meeting.organisers.add(author.user)
    client.force_login(author.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return meeting


def _width(page, url: str, width: int) -> tuple[int, int]:
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(url)
    assert response.status == 200, url
    return page.evaluate("document.documentElement.scrollWidth"), width


@pytest.mark.parametrize("width", PHONES)
@pytest.mark.parametrize(
    "path",
    [
        "agenda/",
        "organise/participants/",
        "organise/papers/",
        "me/",
        "me/paper/",
        "documents/",
        "participants/",
        "organise/agenda/",
        "organise/",
        "organise/logistics/",
        "organise/logistics/letters/",
        "organise/logistics/arrivals/",
        "organise/logistics/hotel/",
        "organise/logistics/note/",
        "organise/reminders/",
        "organise/outbox/",
        "organise/exports/",
        "organise/import/",
        "",
    ],
)
def test_page_reflows_on_a_phone(page, live_server, demo, path, width):
    scroll_width, viewport = _width(page, f"{live_server.url}/m/{demo.slug}/{path}", width)
    assert scroll_width <= viewport, page.evaluate(OVERFLOWING)


@pytest.mark.parametrize("width", PHONES)
def test_participant_page_reflows_on_a_phone(page, live_server, demo, width):
    person = demo.participants.order_by("pk").first()
    url = f"{live_server.url}/m/{demo.slug}/organise/participants/{person.pk}/"
    scroll_width, viewport = _width(page, url, width)
    assert scroll_width <= viewport, page.evaluate(OVERFLOWING)


def test_tracker_fits_a_1280_px_window(page, live_server, demo):
    scroll_width, viewport = _width(
        page, f"{live_server.url}/m/{demo.slug}/organise/participants/", 1280
    )
    assert scroll_width <= viewport, page.evaluate(OVERFLOWING)
