"""The whole path, through the pages: invitee list to registered participant and back out.

An organiser imports the list (command, then a corrected file through the admin's preview),
invites from the tracker, the invitee opens the emailed link, accepts, registers and sees
the portal; another declines; after the deadline the organiser corrects a registration;
the export shows where everyone stands.
"""

import csv
import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda.models import Deadline, DeadlineKind
from notifications.models import Message
from participants.models import Participant, Registration, Status
from participants.organisers import ensure_organiser

from .support import clear_cache, future_meeting, registration_details  # noqa: F401

pytestmark = pytest.mark.django_db

FIRST_LIST = (
    "honorific,given name,family name,email,organisation,job title,country,nationality,"
    "gender,role,funded\n"
    "Dr,Ama,Mensah,ama.mensah@example.org,University of Ghana,Lecturer,GH,GH,female,expert,yes\n"
    "Mr,Kofi,Boateng,kofi@example.org,ILO,Officer,Kenya,KE,male,Observer,no\n"
)
# The organiser's corrected list: Ama's organisation changes, Efua joins; emails differ
# in case from the first import, and still match.
SECOND_LIST = (
    "given name,family name,email,organisation,country,role\n"
    "Ama,Mensah,Ama.Mensah@Example.org,University of Ghana - Legon,GH,expert\n"
    "Kofi,Boateng,KOFI@example.org,ILO,Kenya,observer\n"
    "Efua,Owusu,efua@example.org,Ministry of Employment and Social Welfare,GH,Government\n"
)


def _link(message: Message, name: str) -> str:
    """The path of the link the email gives for ``name`` (invitation, accept, decline)."""
    pattern = re.escape(settings.SITE_URL) + r"(/m/[^/\s]+/invitation/[^/\s]+/)"
    path = re.search(pattern, message.body_text).group(1)
    return path if name == "invitation" else f"{path}{name}/"


def _export_statuses(client, meeting) -> dict[str, str]:
    response = client.get(reverse("participants:export_csv", kwargs={"slug": meeting.slug}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row["Email"]: row["Status"] for row in rows}


def test_flow_from_invitee_list_to_registered_participant(tmp_path):
    meeting = future_meeting(slug="accra-2009")
    organiser, _ = ensure_organiser(
        email="dspd@example.org", password="a-long-test-password", meetings=[meeting]
    )
    desk = Client()
    desk.force_login(organiser)

    # 1. The command imports the first list.
    first = tmp_path / "invitees.csv"
    first.write_text(FIRST_LIST, encoding="utf-8")
    call_command("import_participants", meeting.slug, str(first))
    assert Participant.objects.filter(meeting=meeting).count() == 2

    # 2. The admin previews the corrected list, then writes it on confirmation.
    preview = desk.post(
        "/admin/participants/participant/import/",
        {
            "resource": "0",
            "format": "0",
            "meeting": meeting.pk,
            "import_file": SimpleUploadedFile("corrected.csv", SECOND_LIST.encode()),
        },
    )
    assert [row.import_type for row in preview.context["result"].rows] == [
        "update",
        "skip",
        "new",
    ]
    assert Participant.objects.filter(meeting=meeting).count() == 2
    desk.post(
        "/admin/participants/participant/process_import/",
        {**preview.context["confirm_form"].initial},
    )
    people = {p.email.lower(): p for p in Participant.objects.filter(meeting=meeting)}
    assert sorted(people) == ["ama.mensah@example.org", "efua@example.org", "kofi@example.org"]
    assert people["ama.mensah@example.org"].organisation == "University of Ghana - Legon"

    # 3. The tracker lists them; the organiser invites Ama and Kofi.
    tracker = desk.get(reverse("participants:tracker", kwargs={"slug": meeting.slug}))
    assert len(tracker.context["rows"]) == 3
    ama, kofi = people["ama.mensah@example.org"], people["kofi@example.org"]
    desk.post(
        reverse("participant:invite", kwargs={"slug": meeting.slug}),
        {"participant": [ama.pk, kofi.pk]},
    )
    assert sorted(Message.objects.values_list("recipient", flat=True)) == [
        "ama.mensah@example.org",
        "kofi@example.org",
    ]
    to_ama = Message.objects.get(recipient="ama.mensah@example.org")
    to_kofi = Message.objects.get(recipient="kofi@example.org")

    # 4. Ama opens the link, accepts (which signs her in) and sees what she owes.
    ama_browser = Client()
    page = ama_browser.get(_link(to_ama, "invitation"))
    assert page.status_code == 200
    assert meeting.title in page.content.decode()
    accepted = ama_browser.post(_link(to_ama, "accept"))
    portal_url = reverse("participant:portal", kwargs={"slug": meeting.slug})
    assert accepted.status_code == 302
    assert accepted["Location"] == portal_url
    portal = ama_browser.get(portal_url)
    assert portal.status_code == 200
    assert "Accepted" in portal.content.decode()

    # 5. She registers; the portal says so; the link cannot be used again.
    registration_url = reverse("participant:registration", kwargs={"slug": meeting.slug})
    saved = ama_browser.post(registration_url, registration_details(meeting))
    assert saved.status_code == 302
    assert "Registered" in ama_browser.get(portal_url).content.decode()
    assert ama_browser.post(_link(to_ama, "accept")).status_code == 410

    # 6. Kofi declines, with a reason.
    kofi_browser = Client()
    declined = kofi_browser.post(_link(to_kofi, "decline"), {"reason": "Another mission."})
    assert declined.status_code == 200

    # 7. Registration closes: Ama can no longer change it; the organiser still can.
    Deadline.objects.filter(meeting=meeting, kind=DeadlineKind.REGISTRATION).update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    late = ama_browser.post(registration_url, registration_details(meeting, dietary_needs="None"))
    assert late.status_code == 403
    corrected = desk.post(
        reverse("participant:organise_registration", kwargs={"slug": meeting.slug, "pk": ama.pk}),
        registration_details(meeting, dietary_needs="Vegetarian, no nuts"),
    )
    assert corrected.status_code == 302
    registration = Registration.objects.get(participant=ama)
    assert (registration.dietary_needs, registration.updated_by) == (
        "Vegetarian, no nuts",
        organiser,
    )

    # 8. The export and the timeline tell the same story.
    assert _export_statuses(desk, meeting) == {
        "ama.mensah@example.org": "Registered",
        "kofi@example.org": "Declined",
        "efua@example.org": "Not yet invited",
    }
    ama.refresh_from_db()
    assert list(
        ama.status_changes.order_by("changed_at", "pk").values_list("to_status", flat=True)
    ) == [
        Status.INVITED,
        Status.ACCEPTED,
        Status.REGISTERED,
    ]
