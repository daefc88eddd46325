"""Names and titles of people and papers are stored without bidirectional controls or
zero-width characters, whichever way they arrive: the spreadsheet import, the admin, the
registration form, the paper upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.importing import ImportRejected, import_participants
from participants.models import Paper, PaperVersion, Participant, Registration
from participants.organisers import ensure_organiser
from tests.factories import MeetingFactory

from .conftest import stored_files
from .paper_files import pdf_bytes
from .support import accepted, clear_cache, registration_details  # noqa: F401

pytestmark = pytest.mark.django_db

RLO, ZWSP, FSI, PDI, BOM = "\u202e", "\u200b", "\u2068", "\u2069", "\ufeff"


def test_import_stores_names_without_invisible_characters():
    meeting = MeetingFactory()
    data = (
        "honorific,given name,family name,email,organisation,job title,role\n"
        f"Dr{ZWSP}.,{RLO}Ama,Men{ZWSP}sah,ama@example.org,{FSI}University of Ghana{PDI},"
        f"Pro{BOM}fessor,expert\n"
    ).encode()

    import_participants(meeting=meeting, data=data)

    assert Participant.objects.filter(meeting=meeting).values_list(
        "honorific", "given_name", "family_name", "organisation", "job_title"
    ).get() == ("Dr.", "Ama", "Mensah", "University of Ghana", "Professor")


def test_import_finds_a_name_of_invisible_characters_missing_and_writes_nothing():
    meeting = MeetingFactory()
    data = f"given name,family name,email,role\n{ZWSP}{RLO},Mensah,ama@example.org,expert\n"

    with pytest.raises(ImportRejected) as rejected:
        import_participants(meeting=meeting, data=data.encode())

    assert [str(error) for error in rejected.value.errors] == [
        "Row 2, column given name: is required."
    ]
    assert Participant.objects.count() == 0


def test_reimport_of_the_same_name_with_invisible_characters_changes_nothing():
    meeting = MeetingFactory()
    header = "given name,family name,email,role\n"
    import_participants(
        meeting=meeting, data=f"{header}Ama,Mensah,ama@example.org,expert\n".encode()
    )

    summary = import_participants(
        meeting=meeting, data=f"{header}Ama,Men{ZWSP}sah,ama@example.org,expert\n".encode()
    )

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)


def test_admin_stores_a_participant_name_without_invisible_characters(client):
    meeting = MeetingFactory()
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-test-password", meetings=[meeting]
    )
    client.force_login(user)

    response = client.post(
        reverse("admin:participants_participant_add"),
        {
            "meeting": meeting.pk,
            "role": "expert",
            "paper_requested": "",
            "given_name": f"{RLO}Ama",
            "family_name": f"Men{ZWSP}sah",
            "email": "ama@example.org",
            "organisation": f"{FSI}University of Ghana{PDI}",
            "gender": "",
            "region": "",
            "decline_reason": "",
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
            "registration-TOTAL_FORMS": 0,
            "registration-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    assert Participant.objects.values_list("given_name", "family_name", "organisation").get() == (
        "Ama",
        "Mensah",
        "University of Ghana",
    )


def test_registration_form_stores_a_clean_passport_name(client):
    participant = accepted()
    meeting = participant.meeting
    client.force_login(participant.user)

    response = client.post(
        reverse("participant:registration", kwargs={"slug": meeting.slug}),
        registration_details(meeting, passport_name=f"AMA {RLO}MENSAH{BOM}"),
    )

    assert response.status_code == 302
    assert Registration.objects.get(participant=participant).passport_name == "AMA MENSAH"


def _post_paper(client, participant, title):
    client.force_login(participant.user)
    return client.post(
        reverse("papers:submit", kwargs={"slug": participant.meeting.slug}),
        {
            "title": title,
            "abstract": "",
            "file": SimpleUploadedFile("paper.pdf", pdf_bytes(6), content_type="application/pdf"),
        },
    )


def test_paper_upload_stores_a_clean_title(client, expert, storage_root):
    response = _post_paper(client, expert, f"Social {RLO}integration{ZWSP}")

    assert response.status_code == 302
    assert Paper.objects.get().title == "Social integration"


def test_paper_upload_with_an_invisible_title_is_refused_and_stores_nothing(
    client, expert, storage_root
):
    response = _post_paper(client, expert, f"{ZWSP}{RLO}{BOM}")

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert (Paper.objects.count(), PaperVersion.objects.count()) == (0, 0)
    assert stored_files(storage_root) == []


def test_submit_paper_service_refuses_an_invisible_title(expert, storage_root):
    from participants.papers.services import PaperRefused, submit_paper

    with pytest.raises(PaperRefused) as refused:
        submit_paper(
            participant=expert,
            title=f"{ZWSP}{RLO}",
            abstract="",
            consent_publish=False,
            upload=SimpleUploadedFile("paper.pdf", pdf_bytes(6)),
            uploaded_by=expert.user,
        )

    assert refused.value.code == "no_title"
    assert (Paper.objects.count(), stored_files(storage_root)) == (0, [])
