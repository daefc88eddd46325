"""A participant's way through the meeting in a real browser, from the invitation email in
the outbox: accept, register, ask for a visa letter and download it, enter the flights,
upload a seven-page paper and see its receipt, subscribe to the personal calendar.

Only the invitation link, read from the queued email as the participant's mail program
would show it, is typed; every later page is reached by following links and pressing
buttons. The journey runs with the mouse (screenshots at 1,280 and 375 px into
``test-artifacts/e2e/participant/``, axe-core at both widths, a look at 200% zoom) and with
the keyboard alone.
"""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from agenda.demo import load_demo
from agenda.models import DeadlineKind
from logistics import services as logistics
from notifications.models import Message
from participants import services
from participants.models import Role, Status
from tests.factories import ParticipantFactory, UserFactory

from .journeys import DRIVERS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_URL = re.compile(r"https?://\S+")
PAPER_PAGES = 7


def seven_page_paper() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, PAPER_PAGES + 1):
        pdf.drawString(72, 760, f"Cash transfers and social integration, page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def invited(live_server, settings):
    """A Brazilian expert of the demo meeting (moved to the present), invited by the
    secretariat: the invitation email waits in the outbox, its links to the test's server."""
    settings.SITE_URL = live_server.url
    meeting = load_demo(today=timezone.localdate()).meeting
    person = ParticipantFactory(
        meeting=meeting,
        email="ana.souza@example.org",
        honorific="Dr.",
        given_name="Ana",
        family_name="Souza",
        organisation="Institute of Social Inclusion Studies (fictional)",
        country="BR",
        nationality="BR",
        region="americas",
        role=Role.EXPERT,
    )
    services.invite_participants(meeting=meeting, participant_ids=[person.pk], sent_by=None)
    return person


@pytest.mark.parametrize("how", DRIVERS)
def test_a_participant_goes_from_the_invitation_email_to_the_calendar(
    page, live_server, invited, how
):
    drive = DRIVERS[how](page, "participant")
    meeting = invited.meeting
    portal_url = f"{live_server.url}/m/{meeting.slug}/me/"
    invitation = Message.objects.get(recipient=invited.email, kind="participants.invitation")
    link = FIRST_URL.search(invitation.body_text).group(0)
    assert link.startswith(f"{live_server.url}/m/{meeting.slug}/invitation/")

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == f"Invitation: {meeting.title}"
    drive.check("invitation")

    drive.follow(page.get_by_role("button", name="Accept the invitation"))
    drive.arrive(portal_url)
    assert page.get_by_text("Thank you for accepting.").is_visible()
    drive.check("portal")

    # Registration: passport and the rest.
    drive.follow(checklist_link(page, "Register"))
    drive.arrive(f"{portal_url}registration/")
    drive.check("registration")
    drive.type(page.get_by_label("Name exactly as in your passport"), "SOUZA ANA")
    drive.choose(page.get_by_label("Nationality"), "Brazil")
    drive.date(page.get_by_label("Date of birth"), dt.date(1978, 3, 14))
    drive.type(page.get_by_label("Passport number"), "FZ123456")
    drive.choose(page.get_by_label("Country that issued the passport"), "Brazil")
    drive.date(
        page.get_by_label("Passport valid until"), meeting.ends_on + dt.timedelta(days=3 * 365)
    )
    drive.type(page.get_by_label("Dietary needs"), "Vegetarian")
    drive.type(page.get_by_label("Emergency contact: name"), "Paulo Souza")
    drive.type(page.get_by_label("Emergency contact: telephone"), "+55 21 5550 1234")
    drive.tick(page.get_by_label("List my name, organisation and country"))
    drive.tick(page.get_by_label("My paper may be published"))
    drive.follow(page.get_by_role("button", name="Save registration"))
    drive.arrive(portal_url)
    assert page.get_by_text("Registration saved.").is_visible()
    drive.check("portal-registered")
    invited.refresh_from_db()
    assert invited.status == Status.REGISTERED

    # The visa letter: asked for here, issued by the secretariat, downloaded here.
    drive.follow(checklist_link(page, "Visa support letter"))
    drive.arrive(f"{portal_url}letters/")
    drive.check("letters")
    embassy = meeting.embassies.get(name__contains="Brasília").name
    drive.choose(page.get_by_label("Embassy or high commission the letter is for"), embassy)
    drive.follow(page.get_by_role("button", name="Ask for a visa support letter"))
    drive.arrive(f"{portal_url}letters/")
    assert page.get_by_text("Your request is with the secretariat.").first.is_visible()
    drive.check("letter-requested")
    organiser = UserFactory(is_staff=True)
    meeting.organisers.add(organiser)
    letter = logistics.issue_letter(participant=invited, kind="visa", by=organiser)

    drive.follow(page.get_by_role("link", name="Your participation", exact=True))
    drive.arrive(portal_url)
    drive.follow(checklist_link(page, "Visa support letter"))
    drive.arrive(f"{portal_url}letters/")
    drive.check("letter-ready")
    with page.expect_download() as download:
        drive.follow(
            page.get_by_role("link", name=f"Download {letter.reference} (PDF)"), navigates=False
        )
    pdf = PdfReader(download.value.path())
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "SOUZA ANA" in text or "Ana Souza" in text, text[:400]
    assert letter.reference in text

    # Flights.
    drive.follow(page.get_by_role("link", name="Your participation", exact=True))
    drive.arrive(portal_url)
    drive.follow(checklist_link(page, "Travel details"))
    drive.arrive(f"{portal_url}travel/")
    drive.check("travel")
    arrival = dt.datetime.combine(meeting.starts_on - dt.timedelta(days=1), dt.time(14, 30))
    departure = dt.datetime.combine(meeting.ends_on + dt.timedelta(days=1), dt.time(10, 5))
    drive.type(page.get_by_label("City you travel from"), "Rio de Janeiro")
    drive.type(page.get_by_label("Arrival: airline"), "Emirates")
    drive.type(page.get_by_label("Arrival: flight number"), "EK787")
    drive.moment(page.get_by_label("Arrival: date and local time"), arrival)
    drive.type(page.get_by_label("Departure: airline"), "Emirates")
    drive.type(page.get_by_label("Departure: flight number"), "EK788")
    drive.moment(page.get_by_label("Departure: date and local time"), departure)
    drive.tick(page.get_by_label("I need to be met at the airport"))
    drive.follow(page.get_by_role("button", name="Save travel details"))
    drive.arrive(portal_url)
    assert page.get_by_text("Travel details saved.").is_visible()
    plan = invited.travel_plan
    assert (plan.arrival_flight, meeting.local(plan.arrival_at).replace(tzinfo=None)) == (
        "EK787",
        arrival,
    )

    # The paper, within the meeting's page range, and its receipt.
    assert meeting.paper_min_pages <= PAPER_PAGES <= meeting.paper_max_pages
    drive.follow(checklist_link(page, "Paper"))
    drive.arrive(f"{portal_url}paper/")
    drive.check("paper")
    drive.type(page.get_by_label("Title"), "Cash transfers and social integration")
    drive.type(page.get_by_label("Abstract"), "What a decade of cash transfers taught us.")
    drive.attach(
        page.get_by_label("Paper file"),
        {"name": "souza-paper.pdf", "mimeType": "application/pdf", "buffer": seven_page_paper()},
    )
    drive.follow(page.get_by_role("button", name="Upload"))
    drive.arrive(f"{portal_url}paper/")
    assert page.get_by_text("Thank you: version 1 of your paper was received").is_visible()
    versions = page.get_by_role("table", name=re.compile("^Versions"))
    assert versions.get_by_role("cell", name=str(PAPER_PAGES), exact=True).is_visible()
    assert versions.get_by_role("link", name="souza-paper.pdf").is_visible()
    drive.check("receipt")
    receipt = Message.objects.get(recipient=invited.email, kind="paper_receipt")
    assert "Cash transfers and social integration" in receipt.body_text

    # The personal calendar, as a calendar app would fetch it.
    drive.follow(page.get_by_role("link", name="Back to your participation"))
    drive.arrive(portal_url)
    drive.check("portal-done")
    subscribe = page.get_by_role("link", name=re.compile(r"^Subscribe to .* calendar app"))
    download_link = page.get_by_role("link", name=re.compile(r"^Download .*\(\.ics\)"))
    feed = subscribe.get_attribute("href")
    assert feed.startswith("webcal://")
    assert feed.replace("webcal://", "http://") == download_link.get_attribute("href")
    response = page.request.get(download_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    paper_due = meeting.deadlines.get(kind=DeadlineKind.PAPER)
    assert events[f"Paper due: {meeting}"].decoded("DTSTART") == paper_due.due_at
    assert any(title.startswith("Arrival") and "EK787" in title for title in events)
    plenaries = meeting.sessions.filter(kind="plenary").values_list("title", flat=True)
    assert set(plenaries) <= set(events)

    drive.assert_all_pages_passed()


def checklist_link(page, title: str):
    return page.get_by_role("table").get_by_role("link", name=title, exact=True)
