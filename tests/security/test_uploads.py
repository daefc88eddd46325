"""Oversized and malformed uploads, through the pages people use: refused with a message,
nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.importing import MAX_FILE_BYTES
from participants.models import Paper, PaperVersion, Participant, Status
from tests.factories import ParticipantFactory, UserFactory
from tests.participants.paper_files import pdf_bytes
from tests.participants.support import future_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


def stored(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("paper.pdf", b"%PDF-1.7\n" + b"0" * 70_000, "the largest accepted is 64 KB"),
        ("paper.pdf", b"%PDF-1.7\n\x00\x01garbage", "PDF"),
        ("paper.pdf", b"MZ\x90\x00" + b"\x00" * 100, ""),
        ("paper.docx", b"PK\x03\x04" + b"\x00" * 100, ""),
        ("paper.pdf", b"", "empty"),
    ],
)
def test_oversized_and_malformed_papers_are_refused_and_nothing_is_stored(
    client, storage, name, data, expected
):
    meeting = future_meeting(paper_max_bytes=64 * 1024)
    author = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, user=UserFactory(), role="expert"
    )
    client.force_login(author.user)

    response = client.post(
        reverse("papers:submit", kwargs={"slug": meeting.slug}),
        {
            "title": "Social integration",
            "abstract": "",
            "consent_publish": "on",
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
    )

    assert response.status_code in (200, 400)
    assert expected in response.content.decode()
    assert response.context["form"].errors
    assert (Paper.objects.count(), PaperVersion.objects.count(), stored(storage)) == (0, 0, [])


def test_a_good_paper_after_refusals_is_stored_once(client, storage):
    meeting = future_meeting()
    author = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, user=UserFactory(), role="expert"
    )
    client.force_login(author.user)

    response = client.post(
        reverse("papers:submit", kwargs={"slug": meeting.slug}),
        {
            "title": "Social integration",
            "abstract": "",
            "consent_publish": "on",
            "file": SimpleUploadedFile("p.pdf", pdf_bytes(7), content_type="application/pdf"),
        },
    )

    assert response.status_code == 302
    assert len(stored(storage)) == 1


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("list.csv", b"a" * (MAX_FILE_BYTES + 1), "larger than 5 MB"),
        ("list.xlsx", b"PK\x03\x04" + b"\x00" * 200, "not a readable XLSX"),
        ("list.xlsx", b"given name,family name\nAma,Mensah\n", "required columns missing"),
        ("list.csv", b"\xff\xfe\x00\xd8", "UTF-16"),
        ("list.csv", b"%PDF-1.7\n" + b"x" * 100, "application/pdf"),
    ],
)
def test_oversized_and_malformed_invitee_lists_are_refused_in_the_admin(
    client, name, data, expected
):
    meeting = future_meeting()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/participants/participant/import/",
        {
            "resource": "0",
            "format": "1" if name.endswith(".xlsx") else "0",
            "meeting": meeting.pk,
            "import_file": SimpleUploadedFile(name, data),
        },
    )

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "confirm_form" not in response.context
    assert Participant.objects.count() == 0
