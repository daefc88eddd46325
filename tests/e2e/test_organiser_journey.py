"""The organiser's morning in a real browser: sign in on the site, land on the dashboard,
import two invitees from a spreadsheet, invite them, record that one declined (a change that
asks to be confirmed), issue a waiting visa letter, export the rooming list for the hotel
and preview a reminder; on the way, review a paper from the attention list.

Only the sign-in address is typed; every later page is reached by following links and
pressing buttons. The journey runs with the mouse (screenshots at 1,280 and 375 px into
``test-artifacts/e2e/organiser/``, axe-core at both widths, a look at 200% zoom) and with
the keyboard alone. It stays on the site's own pages: the back office is not part of it.
"""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from agenda.demo import load_demo
from logistics.models import HotelBooking, Letter, LetterRequest
from notifications.models import Message, ReminderRule
from participants.models import Participant, Status
from participants.organisers import ensure_organiser

from .journeys import DRIVERS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-password-for-the-journey"
INVITEES = (
    "Given name,Family name,Email,Organisation,Country,Nationality,Gender,Role,Funded\n"
    "Kwame,Asante-Darko,kwame.asante@example.org,University of Cape Coast (fictional),"
    "Ghana,Ghanaian,Male,Expert,yes\n"
    "Lena,Vogt,lena.vogt@example.org,Institute for Social Cohesion (fictional),"
    "Germany,German,Female,Observer,no\n"
)


def menu_link(page, label: str):
    return page.get_by_role("navigation", name=re.compile("^Organise")).get_by_role(
        "link", name=label, exact=True
    )


@pytest.mark.parametrize("how", DRIVERS)
def test_an_organiser_signs_in_and_runs_the_meeting_by_links(page, live_server, how, tmp_path):
    meeting = load_demo(today=timezone.localdate()).meeting
    ensure_organiser(email="organiser@example.org", password=PASSWORD, meetings=[meeting])
    drive = DRIVERS[how](page, "organiser")
    dashboard = f"{live_server.url}/m/{meeting.slug}/organise/"

    page.goto(f"{live_server.url}/accounts/login/")
    drive.check("sign-in")
    drive.type(page.get_by_label("Email"), "organiser@example.org")
    drive.type(page.get_by_label("Password"), PASSWORD)
    drive.follow(page.get_by_role("button", name="Sign in"))
    drive.arrive(dashboard)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dashboard")
    assert page.get_by_role("heading", name="Needs your attention").is_visible()
    drive.check("dashboard")

    # A paper to review, from the attention list.
    drive.follow(page.get_by_role("link", name="1: Papers waiting for a review"))
    drive.arrive(f"{dashboard}papers/?show=to_review")
    drive.check("papers-to-review")
    drive.follow(page.get_by_role("link", name=re.compile(r"^Review the paper of")))
    assert re.search(r"/organise/papers/\d+/(#main)?$", page.url)
    drive.check("paper-review")

    # Import: the invitee list, uploaded, previewed, confirmed.
    drive.follow(menu_link(page, "Import"))
    drive.arrive(f"{dashboard}import/")
    drive.check("import")
    invitees = tmp_path / "invitees.csv"
    invitees.write_text(INVITEES, encoding="utf-8")
    drive.attach(page.get_by_label("Invitee list (CSV or XLSX)"), invitees)
    drive.follow(page.get_by_role("button", name="Check the file"))
    preview = page.get_by_role("table", name="What each row would do")
    assert preview.get_by_role("cell", name="New, not yet invited").count() == 2
    assert not Participant.objects.filter(email="kwame.asante@example.org").exists()
    drive.check("import-preview")
    drive.follow(page.get_by_role("button", name="Import 2 rows"))
    drive.arrive(f"{dashboard}participants/?status=not_invited")
    assert page.get_by_text("Imported 2 rows: 2 created").is_visible()
    drive.check("participants-not-invited")

    # Invitations to the two imported people.
    for name in ("Kwame Asante-Darko", "Lena Vogt"):
        drive.tick(page.get_by_role("checkbox", name=f"Select {name}"))
    drive.follow(page.get_by_role("button", name="Send invitations to the selected"))
    imported = Participant.objects.filter(
        email__in=["kwame.asante@example.org", "lena.vogt@example.org"]
    )
    assert {person.status for person in imported} == {Status.INVITED}
    assert sorted(
        Message.objects.filter(kind="participants.invitation").values_list("recipient", flat=True)
    ) == ["kwame.asante@example.org", "lena.vogt@example.org"]

    # Their invitations wait in the meeting's outbox.
    drive.follow(menu_link(page, "Outbox"))
    drive.arrive(f"{dashboard}outbox/")
    queue = page.get_by_role("table", name="Messages waiting to go or on their way")
    for address in ("kwame.asante@example.org", "lena.vogt@example.org"):
        assert queue.get_by_role("link", name=address, exact=True).is_visible()
    drive.check("outbox")
    drive.follow(menu_link(page, "Participants"))
    drive.arrive(f"{dashboard}participants/")
    drive.check("participants")

    # A status change on the participant's page, confirmed because it is destructive. The
    # list still shows those not yet invited: the two are now among the invited.
    by_status = page.get_by_role("table", name="By status")
    drive.follow(by_status.get_by_role("link", name="Invited", exact=True))
    drive.arrive(f"{dashboard}participants/?status=invited")
    drive.follow(page.get_by_role("link", name=re.compile(r"^Open Kwame Asante-Darko")))
    kwame = imported.get(email="kwame.asante@example.org")
    drive.arrive(f"{dashboard}participants/{kwame.pk}/")
    drive.check("participant")
    drive.choose(page.get_by_label("New status (required)"), "Declined")
    drive.follow(page.get_by_role("button", name="Change status"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Mark {kwame.formal_name} as declined?"
    )
    kwame.refresh_from_db()
    assert kwame.status == Status.INVITED
    drive.check("status-confirm")
    drive.follow(page.get_by_role("button", name="Yes, mark as declined"))
    assert page.get_by_text("Status changed.").is_visible()
    drive.check("status-changed")
    kwame.refresh_from_db()
    assert kwame.status == Status.DECLINED

    # A visa letter issued for the request waiting in logistics.
    waiting = LetterRequest.objects.get(participant__meeting=meeting, handled_at__isnull=True)
    drive.follow(menu_link(page, "Logistics"))
    drive.arrive(f"{dashboard}logistics/")
    drive.check("logistics")
    drive.follow(page.get_by_role("link", name=waiting.participant.full_name, exact=True))
    drive.arrive(f"{dashboard}logistics/participants/{waiting.participant_id}/")
    drive.check("logistics-participant")
    drive.choose(page.get_by_label("Issue", exact=True), "Visa support letter")
    drive.follow(page.get_by_role("button", name="Issue the letter"))
    letter = Letter.objects.get(participant=waiting.participant, kind="visa", revoked_at=None)
    assert page.get_by_text(f"Letter {letter.reference} issued").is_visible()
    drive.check("letter-issued")
    waiting.refresh_from_db()
    assert waiting.letter == letter

    # The rooming list for the hotel, as a spreadsheet.
    drive.follow(page.get_by_role("link", name="Hotel and rooming list"))
    drive.arrive(f"{dashboard}logistics/hotel/")
    drive.check("hotel")
    with page.expect_download() as download:
        drive.follow(page.get_by_role("link", name="Download as Excel (XLSX)"), navigates=False)
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Guest name (as in passport)", "Check-in", "Check-out", "Nights")
    bookings = HotelBooking.objects.filter(participant__meeting=meeting)
    assert len(rows) - 1 == bookings.count()
    guest = bookings.select_related("participant__registration").first()
    row = next(row for row in rows if row[0] == guest.participant.registration.passport_name)
    assert isinstance(row[1], dt.datetime)
    assert (row[1].date(), row[3]) == (guest.check_in, guest.nights)

    # A reminder previewed before it goes.
    drive.follow(menu_link(page, "Reminders"))
    drive.arrive(f"{dashboard}reminders/")
    drive.check("reminders")
    rule = ReminderRule.objects.get(deadline__meeting=meeting, is_active=True)
    drive.follow(page.get_by_role("link", name=rule.name, exact=True))
    drive.arrive(f"{dashboard}reminders/{rule.pk}/")
    preview = page.get_by_role("region", name="Next sending")
    heading = preview.get_by_role("heading", name=re.compile("^Preview for ")).inner_text()
    recipient = heading.removeprefix("Preview for ")
    assert recipient in preview.locator("pre.email-preview").inner_text()
    drive.check("reminder-preview")

    # The rest of the organiser area: the papers, the programme, every download.
    drive.follow(menu_link(page, "Papers"))
    drive.arrive(f"{dashboard}papers/")
    drive.check("papers")
    drive.follow(menu_link(page, "Agenda"))
    drive.arrive(f"{dashboard}agenda/")
    drive.check("agenda")
    drive.follow(menu_link(page, "Exports"))
    drive.arrive(f"{dashboard}exports/")
    drive.check("exports")

    drive.assert_all_pages_passed()
