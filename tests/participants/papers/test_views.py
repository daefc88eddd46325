"""The paper pages: upload with its messages, tracker, review, downloads, ZIP, documents."""

import datetime as dt
import hashlib
import io
import zipfile
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import SessionKind
from notifications.models import Message
from participants.models import (
    Paper,
    PaperVersion,
    Registration,
    ReviewStatus,
    SessionPart,
    SessionRole,
    Status,
)
from participants.papers.services import set_review_status, submit_paper
from tests.factories import ParticipantFactory, SessionFactory, UserFactory

from ..conftest import stored_files
from ..paper_files import (
    CORRUPT_PDF_BYTES,
    ELF_BYTES,
    EXE_BYTES,
    docx_bytes,
    docx_with_external_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
    plain_zip_bytes,
    zip_bomb_bytes,
)

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")


def post_paper(client, meeting, data: bytes, name: str = "paper.pdf", **fields):
    payload = {
        "title": "Social integration in West Africa",
        "abstract": "Strategies that work.",
        "consent_publish": "on",
        "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        **fields,
    }
    return client.post(reverse("papers:submit", kwargs={"slug": meeting.slug}), payload)


def give_paper(participant, data: bytes | None = None, **kwargs):
    return submit_paper(
        participant=participant,
        title=kwargs.pop("title", "Social integration in West Africa"),
        abstract="",
        consent_publish=kwargs.pop("consent_publish", True),
        upload=SimpleUploadedFile(kwargs.pop("name", "paper.pdf"), data or pdf_bytes(6)),
        uploaded_by=participant.user,
        **kwargs,
    )


def test_upload_page_shows_deadline_in_meeting_terms(client, expert):
    client.force_login(expert.user)

    response = client.get(reverse("papers:submit", kwargs={"slug": expert.meeting.slug}))

    assert response.status_code == 200
    assert "Paper due 5 November 2009, 23:59 Accra time (GMT)" in response.content.decode()


def test_upload_page_needs_sign_in(client, meeting):
    response = client.get(reverse("papers:submit", kwargs={"slug": meeting.slug}))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_upload_accepts_paper_and_confirms(client, expert, storage_root):
    client.force_login(expert.user)

    response = post_paper(client, expert.meeting, pdf_bytes(6))
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "version 1 of your paper was received" in page
    assert PaperVersion.objects.get().page_count == 6


def test_identical_reupload_says_so(client, expert, storage_root):
    client.force_login(expert.user)
    data = pdf_bytes(6)
    post_paper(client, expert.meeting, data)

    response = post_paper(client, expert.meeting, data, name="copy.pdf")
    page = client.get(response["Location"]).content.decode()

    assert "This file is identical to version 1" in page
    assert "no new version was made" in page
    assert PaperVersion.objects.count() == 1


BAD_FILES = [
    ("empty", b"", "paper.pdf", "The file is empty."),
    (
        "exe",
        EXE_BYTES,
        "paper.pdf",
        "This file is a program (executable file), whatever its name says.",
    ),
    (
        "elf",
        ELF_BYTES,
        "paper.pdf",
        "This file is a program (executable file), whatever its name says.",
    ),
    ("corrupt", CORRUPT_PDF_BYTES, "paper.pdf", "This PDF is damaged and cannot be opened."),
    ("encrypted", encrypted_pdf_bytes(), "paper.pdf", "This PDF is protected by a password"),
    ("bomb", zip_bomb_bytes(), "paper.docx", "it looks like a zip bomb"),
    (
        "not_doc",
        plain_zip_bytes(),
        "paper.docx",
        "This file is a zip archive, not a Word document.",
    ),
    (
        "remote_template",
        docx_with_external_bytes(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
        ),
        "paper.docx",
        "This Word document loads content from outside the file",
    ),
]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_file_gets_clear_message_and_nothing_is_stored(
    client, expert, storage_root, data, name, message
):
    client.force_login(expert.user)

    response = post_paper(client, expert.meeting, data, name=name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem: nothing was stored" in response.content.decode()
    assert (Paper.objects.count(), PaperVersion.objects.count()) == (0, 0)
    assert stored_files(storage_root) == []


def test_oversized_file_gets_clear_message_and_nothing_is_stored(
    client, meeting, expert, storage_root
):
    meeting.paper_max_bytes = 1024
    meeting.save()
    client.force_login(expert.user)
    data = pdf_bytes(6)

    response = post_paper(client, meeting, data)

    assert response.status_code == 400
    assert "The file is too large; the largest accepted is 1 KB." in response.content.decode()
    assert (PaperVersion.objects.count(), stored_files(storage_root)) == (0, [])


def test_file_name_with_path_and_control_characters_is_cleaned(client, expert, storage_root):
    client.force_login(expert.user)

    post_paper(
        client, expert.meeting, pdf_bytes(6), name="..\\..\\secret/../Mensah\x07 paper\n.pdf"
    )

    version = PaperVersion.objects.get()
    assert version.original_name == "Mensah paper.pdf"
    assert stored_files(storage_root) == [f"papers/{expert.meeting_id}/{expert.pk}/v1-Mensah.pdf"]


def test_page_range_warning_then_confirmation(client, expert, storage_root):
    client.force_login(expert.user)
    short = pdf_bytes(3)

    warned = post_paper(client, expert.meeting, short)
    page = warned.content.decode()
    checksum = warned.context["form"].initial["confirmed_sha256"]

    assert warned.status_code == 400
    assert "Your paper has 3 pages; this meeting asks for 5 to 10 pages." in page
    assert 'name="confirm_pages"' in page
    assert PaperVersion.objects.count() == 0
    assert stored_files(storage_root) == [f"papers/held/{expert.pk}/{checksum}/paper.pdf"]

    confirmed = post_paper(
        client, expert.meeting, short, confirm_pages="on", confirmed_sha256=checksum
    )

    assert confirmed.status_code == 302
    assert PaperVersion.objects.get().page_count == 3


def _post_confirmation(client, meeting, **fields):
    """The confirmation as the warned page sends it: no file chosen again."""
    payload = {
        "title": "Social integration in West Africa",
        "abstract": "Strategies that work.",
        "consent_publish": "on",
        "confirm_pages": "on",
        **fields,
    }
    return client.post(reverse("papers:submit", kwargs={"slug": meeting.slug}), payload)


def test_page_range_confirmation_keeps_the_upload(
    client, expert, storage_root, django_capture_on_commit_callbacks
):
    client.force_login(expert.user)
    short = pdf_bytes(3)
    warned = post_paper(client, expert.meeting, short, name="My paper.pdf")
    checksum = warned.context["form"].initial["confirmed_sha256"]
    assert "Your file &ldquo;My paper.pdf&rdquo; is kept" in warned.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = _post_confirmation(client, expert.meeting, confirmed_sha256=checksum)

    assert confirmed.status_code == 302
    version = PaperVersion.objects.get()
    assert (version.page_count, version.original_name, version.sha256) == (
        3,
        "My paper.pdf",
        hashlib.sha256(short).hexdigest(),
    )
    version.file.open("rb")
    assert version.file.read() == short
    version.file.close()
    assert stored_files(storage_root) == [f"papers/{expert.meeting_id}/{expert.pk}/v1-Mensah.pdf"]


def test_confirmation_of_a_file_held_for_someone_else_is_refused(
    client, expert, meeting, storage_root
):
    other = ParticipantFactory(meeting=meeting, status=Status.REGISTERED, user=UserFactory())
    other_user = other.user
    client.force_login(expert.user)
    warned = post_paper(client, meeting, pdf_bytes(3))
    checksum = warned.context["form"].initial["confirmed_sha256"]
    client.force_login(other_user)

    refused = _post_confirmation(client, meeting, confirmed_sha256=checksum)

    assert refused.status_code == 400
    assert (
        "The file you uploaded before is no longer kept: please choose it again."
        in refused.content.decode()
    )
    assert PaperVersion.objects.count() == 0


@pytest.mark.parametrize("checksum", ["", "../../../etc/passwd", "0" * 64])
def test_confirmation_without_a_held_file_asks_for_the_file(client, expert, storage_root, checksum):
    client.force_login(expert.user)

    refused = _post_confirmation(client, expert.meeting, confirmed_sha256=checksum)

    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        "Please choose the file of your paper." in page
        or "The file you uploaded before is no longer kept: please choose it again." in page
    )
    assert (PaperVersion.objects.count(), stored_files(storage_root)) == (0, [])


def test_upload_after_closing_shows_message(client, meeting, expert, storage_root):
    meeting.paper_uploads_close_at = dt.datetime(2009, 11, 12, 17, 0, tzinfo=ACCRA)
    meeting.save()
    client.force_login(expert.user)

    response = post_paper(client, meeting, pdf_bytes(6))

    assert response.status_code == 400
    assert (
        "Paper uploads closed on 12 November 2009, 17:00 Accra time (GMT)."
        in response.content.decode()
    )
    assert stored_files(storage_root) == []


# Downloads ------------------------------------------------------------------------------


def download_url(version):
    meeting = version.paper.participant.meeting
    return reverse("papers:download", kwargs={"slug": meeting.slug, "version_id": version.pk})


def test_author_downloads_own_file_as_attachment(client, expert, storage_root):
    data = pdf_bytes(6)
    version = give_paper(expert, data, name="Intégration sociale.pdf").version
    client.force_login(expert.user)

    response = client.get(download_url(version))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == (
        'attachment; filename="Integration-sociale.pdf"; '
        "filename*=UTF-8''Int%C3%A9gration%20sociale.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_organiser_downloads_any_version(client, expert, organiser, storage_root):
    first = give_paper(expert, pdf_bytes(6)).version
    give_paper(expert, pdf_bytes(7))
    client.force_login(organiser)

    assert client.get(download_url(first)).status_code == 200


def test_other_participant_cannot_download(client, meeting, expert, storage_root):
    version = give_paper(expert).version
    other = ParticipantFactory(meeting=meeting, status=Status.REGISTERED, user=UserFactory())
    client.force_login(other.user)

    assert client.get(download_url(version)).status_code == 404


def test_organiser_of_another_meeting_cannot_download(client, expert, storage_root):
    version = give_paper(expert).version
    stranger = UserFactory()
    ParticipantFactory(status=Status.REGISTERED).meeting.organisers.add(stranger)
    client.force_login(stranger)

    assert client.get(download_url(version)).status_code == 404


def test_anonymous_gets_not_found_for_an_unpublished_paper(client, expert, storage_root):
    version = give_paper(expert).version

    response = client.get(download_url(version))

    # A redirect to sign in would tell a stranger that this paper exists.
    assert response.status_code == 404
    assert "Location" not in response


def test_published_current_version_is_public_but_older_versions_are_not(
    client, expert, organiser, storage_root
):
    old = give_paper(expert, pdf_bytes(6)).version
    result = give_paper(expert, pdf_bytes(7))
    set_review_status(
        paper=result.paper, review_status=ReviewStatus.PUBLISHED, note="", changed_by=organiser
    )

    assert client.get(download_url(result.version)).status_code == 200
    assert client.get(download_url(old)).status_code == 404


def test_published_paper_of_an_unpublished_meeting_is_not_public(
    client, meeting, expert, organiser, storage_root
):
    version = give_paper(expert).version
    set_review_status(
        paper=version.paper, review_status=ReviewStatus.PUBLISHED, note="", changed_by=organiser
    )
    meeting.is_published = False
    meeting.save()

    assert client.get(download_url(version)).status_code == 404
    client.force_login(organiser)
    assert client.get(download_url(version)).status_code == 200


def test_download_url_of_another_meeting_is_not_found(client, expert, organiser, storage_root):
    version = give_paper(expert).version
    other = ParticipantFactory().meeting
    client.force_login(organiser)

    url = reverse("papers:download", kwargs={"slug": other.slug, "version_id": version.pk})
    assert client.get(url).status_code == 404


# Tracker and review -----------------------------------------------------------------------


def tracker_url(meeting):
    return reverse("papers:tracker", kwargs={"slug": meeting.slug})


def test_tracker_shows_owed_submitted_late_and_out_of_range(
    client, meeting, expert, organiser, storage_root
):
    short = pdf_bytes(3)
    give_paper(
        expert, short, confirmed_sha256=_sha(short), now=dt.datetime(2009, 11, 7, tzinfo=ACCRA)
    )
    missing = ParticipantFactory(meeting=meeting, status=Status.REGISTERED, family_name="Owusu")
    client.force_login(organiser)

    response = client.get(tracker_url(meeting))
    page = response.content.decode()
    rows = {row.participant.pk: row for row in response.context["tracker"].rows}

    assert response.status_code == 200
    assert (rows[expert.pk].first_late, rows[expert.pk].out_of_range) == (True, True)
    assert rows[missing.pk].current is None
    assert "Not submitted" in page and "Outside page range" in page and "Late" in page
    tracker = response.context["tracker"]
    assert (
        tracker.owed,
        tracker.submitted,
        tracker.late,
        tracker.out_of_range,
        tracker.missing,
    ) == (2, 1, 1, 1, 1)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_tracker_is_for_organisers_only(client, expert):
    client.force_login(expert.user)

    assert client.get(tracker_url(expert.meeting)).status_code == 404


def _participants_with_papers(meeting, count: int) -> None:
    for index in range(count):
        participant = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)
        if index % 2:
            paper = Paper.objects.create(participant=participant, title=f"Paper {index}")
            version = PaperVersion.objects.create(
                paper=paper,
                number=1,
                file=f"papers/x/{index}.pdf",
                original_name="p.pdf",
                content_type="application/pdf",
                size=10,
                sha256=f"{index:064d}",
                page_count=6,
                uploaded_at=dt.datetime(2009, 11, 1, tzinfo=dt.UTC),
            )
            paper.current_version = version
            paper.save()


def test_tracker_query_count_does_not_grow_with_participants(client, meeting, organiser):
    client.force_login(organiser)
    _participants_with_papers(meeting, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(tracker_url(meeting)).status_code == 200
    _participants_with_papers(meeting, 27)
    with CaptureQueriesContext(connection) as large:
        response = client.get(tracker_url(meeting))

    assert len(response.context["tracker"].rows) == 30
    assert len(large) == len(small)


def test_review_page_saves_status_and_emails_author(client, expert, organiser, storage_root):
    paper = give_paper(expert).paper
    client.force_login(organiser)
    url = reverse("papers:review", kwargs={"slug": expert.meeting.slug, "paper_id": paper.pk})

    response = client.post(url, {"review_status": "needs_revision", "note": "Add references."})

    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.review_status, paper.review_note) == ("needs_revision", "Add references.")
    assert Message.objects.filter(kind="paper_review", recipient="kofi@example.org").count() == 1


def test_review_page_flags_a_file_outside_the_page_range(client, expert, organiser, storage_root):
    checked = pdf_bytes(12)
    paper = give_paper(expert, checked, confirmed_sha256=hashlib.sha256(checked).hexdigest()).paper
    client.force_login(organiser)
    url = reverse("papers:review", kwargs={"slug": expert.meeting.slug, "paper_id": paper.pk})

    page = client.get(url).content.decode()

    assert 'Version 1, 12 pages <span class="flag">Outside page range</span> (5&ndash;10)' in page


def test_review_page_refuses_publishing_without_consent(client, expert, organiser, storage_root):
    paper = give_paper(expert, consent_publish=False).paper
    client.force_login(organiser)
    url = reverse("papers:review", kwargs={"slug": expert.meeting.slug, "paper_id": paper.pk})

    response = client.post(url, {"review_status": "published", "note": ""})

    assert response.status_code == 400
    assert "The author has not consented to publication" in response.content.decode()


# ZIP of all current papers -----------------------------------------------------------------


def test_zip_holds_current_papers_with_safe_unique_names(
    client, meeting, expert, organiser, storage_root
):
    give_paper(expert, pdf_bytes(6), title="Social cohesion: practical strategies")
    latest = pdf_bytes(8)
    give_paper(expert, latest, title="Social cohesion: practical strategies")
    namesake = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, family_name="Mensah", user=UserFactory()
    )
    word = docx_bytes(pages=6)
    give_paper(namesake, word, name="paper.docx", title="Social cohesion: practical strategies")
    other = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, family_name="Ødegård", user=UserFactory()
    )
    third = pdf_bytes(5)
    give_paper(other, third, title="Inclusión social")
    client.force_login(organiser)

    response = client.get(reverse("papers:archive", kwargs={"slug": meeting.slug}))

    assert response.status_code == 200
    assert response.streaming is True
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    contents = {name: archive.read(name) for name in archive.namelist()}
    assert contents == {
        "Mensah_Social-cohesion-practical-strategies.pdf": latest,
        "Mensah_Social-cohesion-practical-strategies.docx": word,
        "Odegard_Inclusion-social.pdf": third,
    }
    assert response["Content-Disposition"] == 'attachment; filename="accra-2009-papers.zip"'


def test_zip_is_for_organisers_only(client, expert):
    client.force_login(expert.user)

    assert (
        client.get(reverse("papers:archive", kwargs={"slug": expert.meeting.slug})).status_code
        == 404
    )


# Documentation page ------------------------------------------------------------------------


def test_documents_page_lists_only_published_papers_with_consent(
    client, meeting, expert, organiser, storage_root
):
    published = give_paper(expert, title="Published paper").paper
    set_review_status(
        paper=published, review_status=ReviewStatus.PUBLISHED, note="", changed_by=organiser
    )
    accepted = give_paper(
        ParticipantFactory(meeting=meeting, status=Status.REGISTERED), title="Accepted only"
    ).paper
    set_review_status(
        paper=accepted, review_status=ReviewStatus.ACCEPTED, note="", changed_by=organiser
    )
    session = SessionFactory(
        meeting=meeting, kind=SessionKind.PLENARY, title="Plenary: inclusion policies"
    )
    SessionRole.objects.create(
        session=session, participant=expert, part=SessionPart.PRESENTER, paper=published
    )

    response = client.get(reverse("papers:documents", kwargs={"slug": meeting.slug}))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Published paper" in page and "Accepted only" not in page
    assert "Dr. Kofi Mensah, University of Ghana" in page
    assert f'href="/m/{meeting.slug}/#session-{session.pk}">Plenary: inclusion policies</a>' in page
    assert download_url(published.current_version) in page


def test_documents_page_session_link_lands_on_the_session_in_the_programme(
    client, meeting, expert, organiser, storage_root
):
    paper = give_paper(expert, title="Presented paper").paper
    set_review_status(
        paper=paper, review_status=ReviewStatus.PUBLISHED, note="", changed_by=organiser
    )
    session = SessionFactory(meeting=meeting, kind=SessionKind.PLENARY, title="Plenary one")
    SessionRole.objects.create(
        session=session, participant=expert, part=SessionPart.PRESENTER, paper=paper
    )

    meeting_page = client.get(reverse("agenda:meeting", kwargs={"slug": meeting.slug}))
    agenda_page = client.get(reverse("agenda:agenda", kwargs={"slug": meeting.slug}))

    assert f'id="session-{session.pk}"' in meeting_page.content.decode()
    assert f'id="session-{session.pk}"' in agenda_page.content.decode()
    assert reverse("papers:documents", kwargs={"slug": meeting.slug}) in (
        meeting_page.content.decode()
    )


def test_documents_page_leaves_out_papers_whose_consent_was_withdrawn(
    client, meeting, expert, organiser, storage_root
):
    paper = give_paper(expert, title="Withdrawn paper").paper
    set_review_status(
        paper=paper, review_status=ReviewStatus.PUBLISHED, note="", changed_by=organiser
    )
    Paper.objects.filter(pk=paper.pk).update(consent_publish=False)

    page = client.get(reverse("papers:documents", kwargs={"slug": meeting.slug})).content.decode()

    assert "Withdrawn paper" not in page
    assert client.get(download_url(paper.current_version)).status_code == 404


def test_upload_streamed_to_a_temporary_file_is_checked_and_stored(
    client, settings, expert, storage_root
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # larger uploads go to a temporary file
    client.force_login(expert.user)
    data = pdf_bytes(6)

    response = post_paper(client, expert.meeting, data)

    assert response.status_code == 302
    assert PaperVersion.objects.get().file.read() == data


def test_file_over_the_limit_is_dropped_while_it_arrives_and_no_temporary_file_is_left(
    client, settings, meeting, expert, storage_root, tmp_path
):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # larger uploads go to a temporary file
    meeting.paper_max_bytes = 200 * 1024
    meeting.save()
    client.force_login(expert.user)
    # Far over the limit: the check by content would call it a program; it never gets there.
    data = b"MZ" + b"\0" * (600 * 1024)

    response = post_paper(client, meeting, data, name="big.pdf")
    page = response.content.decode()

    assert response.status_code == 400
    assert "The file is too large; the largest accepted is 200 KB." in page
    assert "There is a problem: nothing was stored" in page
    assert "Social integration in West Africa" in page  # the title is kept for the retry
    assert (Paper.objects.count(), stored_files(storage_root)) == (0, [])
    assert list(uploads.iterdir()) == []


def test_file_within_the_limit_passes_the_upload_limit(client, meeting, expert, storage_root):
    data = pdf_bytes(6)
    meeting.paper_max_bytes = len(data)
    meeting.save()
    client.force_login(expert.user)

    response = post_paper(client, meeting, data)

    assert response.status_code == 302
    assert PaperVersion.objects.get().size == len(data)


def test_upload_still_needs_the_csrf_token(expert, storage_root):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(expert.user)

    response = post_paper(client, expert.meeting, pdf_bytes(6))

    assert response.status_code == 403
    assert Paper.objects.count() == 0


def test_stored_paper_files_are_not_served_at_any_storage_url(client, settings, expert):
    version = give_paper(expert).version
    stored_path = version.file.name

    # No route serves the private storage: not the storage's own URL, not under MEDIA_URL.
    for url in {version.file.url, f"/{settings.MEDIA_URL.strip('/')}/{stored_path}"}:
        assert client.get(url.replace("//", "/")).status_code == 404


@pytest.mark.parametrize("consented", [True, False])
def test_first_upload_form_starts_from_the_consent_given_at_registration(client, expert, consented):
    Registration.objects.create(
        participant=expert,
        passport_name="MENSAH KOFI",
        nationality="GH",
        date_of_birth=dt.date(1968, 5, 4),
        passport_number="G1234567",
        passport_issuing_country="GH",
        passport_expires_on=dt.date(2031, 2, 1),
        emergency_contact_name="A. Mensah",
        emergency_contact_phone="+233 555 0101",
        consent_publish_papers=consented,
        completed_at=dt.datetime(2009, 10, 1, tzinfo=dt.UTC),
    )
    client.force_login(expert.user)

    response = client.get(reverse("papers:submit", kwargs={"slug": expert.meeting.slug}))

    assert response.context["form"]["consent_publish"].value() is consented


def test_tracker_shows_only_the_rows_of_the_chosen_list_and_keeps_every_count(
    client, meeting, expert, organiser, storage_root
):
    short = pdf_bytes(3)
    give_paper(
        expert, short, confirmed_sha256=_sha(short), now=dt.datetime(2009, 11, 7, tzinfo=ACCRA)
    )
    missing = ParticipantFactory(meeting=meeting, status=Status.REGISTERED, family_name="Owusu")
    client.force_login(organiser)

    def shown(show):
        response = client.get(f"{tracker_url(meeting)}?show={show}")
        return [row.participant.pk for row in response.context["tracker"].rows], response

    assert shown("late")[0] == [expert.pk]
    assert shown("out_of_range")[0] == [expert.pk]
    assert shown("to_review")[0] == [expert.pk]
    assert shown("missing")[0] == [missing.pk]
    assert shown("submitted")[0] == [expert.pk]
    assert sorted(shown("nonsense")[0]) == sorted([expert.pk, missing.pk])
    response = shown("late")[1]
    assert (response.context["tracker"].owed, response.context["tracker"].missing) == (2, 1)
    assert '<strong aria-current="page">Late: 1</strong>' in response.content.decode()
