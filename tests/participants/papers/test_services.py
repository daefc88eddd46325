"""Submitting papers: deadline, versions, receipts, page range, eligibility, review."""

import datetime as dt
import hashlib
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from agenda.models import DeadlineKind
from notifications.models import Message
from participants.models import Paper, PaperVersion, ReviewStatus, Role, Status
from participants.papers import queries as paper_queries
from participants.papers.services import (
    PageCountWarning,
    PaperRefused,
    set_review_status,
    submit_paper,
)
from tests.factories import DeadlineFactory, MeetingFactory, ParticipantFactory

from ..conftest import stored_files
from ..paper_files import docx_bytes, pdf_bytes

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def upload(data: bytes, name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def submit(participant, data: bytes, name: str = "paper.pdf", **kwargs):
    return submit_paper(
        participant=participant,
        title=kwargs.pop("title", "Social integration in West Africa"),
        abstract=kwargs.pop("abstract", "Strategies that work."),
        consent_publish=kwargs.pop("consent_publish", True),
        upload=upload(data, name),
        uploaded_by=participant.user,
        **kwargs,
    )


def test_submit_paper_stores_first_version(expert, storage_root):
    data = pdf_bytes(7)

    result = submit(expert, data)

    version = result.version
    assert result.created is True
    assert (version.number, version.page_count, version.size, version.sha256) == (
        1,
        7,
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert result.paper.current_version == version
    assert (version.original_name, version.content_type) == ("paper.pdf", "application/pdf")
    assert stored_files(storage_root) == [f"papers/{expert.meeting_id}/{expert.pk}/v1-Mensah.pdf"]
    assert version.file.read() == data


def test_submit_paper_accepts_docx_with_page_count(expert, storage_root):
    result = submit(expert, docx_bytes(pages=8), name="paper.docx")

    assert (result.version.page_count, result.version.file.name.endswith(".docx")) == (8, True)


def test_reupload_keeps_every_version_and_makes_latest_current(expert, storage_root):
    first = submit(expert, pdf_bytes(6)).version
    second = submit(expert, pdf_bytes(9, text="Revised")).version

    paper = Paper.objects.get(participant=expert)
    assert [v.number for v in paper.versions.all()] == [1, 2]
    assert paper.current_version == second
    assert [v.page_count for v in paper.versions.all()] == [6, 9]
    assert first.sha256 != second.sha256
    assert len(stored_files(storage_root)) == 2


def test_identical_reupload_makes_no_new_version(
    expert, storage_root, django_capture_on_commit_callbacks
):
    data = pdf_bytes(6)
    submit(expert, data)

    again = submit(expert, data, title="Social integration: a new title")

    assert again.created is False
    assert again.version.number == 1
    assert PaperVersion.objects.count() == 1
    assert Paper.objects.get().title == "Social integration: a new title"
    assert Message.objects.filter(kind="paper_receipt").count() == 1
    assert len(stored_files(storage_root)) == 1


def test_receipt_names_title_file_pages_size_checksum_time_and_on_time(
    expert, storage_root, django_capture_on_commit_callbacks
):
    data = pdf_bytes(7)
    received = dt.datetime(2009, 11, 2, 14, 30, tzinfo=ACCRA)

    with django_capture_on_commit_callbacks(execute=False):
        result = submit(expert, data, name="Mensah paper.pdf", now=received)

    message = Message.objects.get(kind="paper_receipt")
    assert message.recipient == "kofi@example.org"
    assert message.idempotency_key == f"paper-receipt:{result.version.pk}"
    assert message.subject == "Paper received: Social integration in West Africa (version 1)"
    for expected in (
        "Title: Social integration in West Africa",
        "File: Mensah paper.pdf",
        "Pages: 7",
        f"Size: {filesizeformat(len(data))}",  # as on the papers pages: "6.4 KB"
        f"SHA-256 checksum: {hashlib.sha256(data).hexdigest()}",
        "Received: 2 November 2009, 14:30 Accra time (GMT)",
        "On time (due 5 November 2009, 23:59 Accra time (GMT)).",
    ):
        assert expected in message.body_text


def test_receipt_writes_the_size_as_the_page_does_and_does_not_escape_the_title(
    expert, storage_root, django_capture_on_commit_callbacks
):
    data = pdf_bytes(7)

    with django_capture_on_commit_callbacks(execute=False):
        submit(expert, data, title="Tom & Jerry <x>", now=dt.datetime(2009, 11, 2, tzinfo=ACCRA))

    message = Message.objects.get(kind="paper_receipt")
    size = filesizeformat(len(data))
    assert size.endswith("\xa0KB")
    assert message.subject == "Paper received: Tom & Jerry <x> (version 1)"
    assert "Title: Tom & Jerry <x>\n" in message.body_text
    assert f"Size: {size}\n" in message.body_text
    assert f"{len(data)} bytes" not in message.body_text + message.body_html
    assert "<td>Tom &amp; Jerry &lt;x&gt;</td>" in message.body_html
    assert f"<td>{size}</td>" in message.body_html


def test_each_new_version_gets_its_own_receipt(expert, storage_root):
    submit(expert, pdf_bytes(6))
    submit(expert, pdf_bytes(7))

    keys = sorted(
        Message.objects.filter(kind="paper_receipt").values_list("idempotency_key", flat=True)
    )
    version_keys = sorted(
        f"paper-receipt:{pk}" for pk in PaperVersion.objects.values_list("pk", flat=True)
    )
    assert keys == version_keys


@pytest.mark.parametrize(
    ("zone", "local_deadline_utc"),
    [
        ("Africa/Accra", dt.datetime(2009, 11, 5, 23, 59, 59, tzinfo=dt.UTC)),
        ("America/New_York", dt.datetime(2009, 11, 6, 4, 59, 59, tzinfo=dt.UTC)),
    ],
)
def test_deadline_boundary_is_the_last_second_of_the_day_in_the_meeting_zone(
    db, storage_root, zone, local_deadline_utc
):
    meeting = MeetingFactory(time_zone=zone)
    DeadlineFactory(meeting=meeting, due_at=meeting.end_of_day(dt.date(2009, 11, 5)))
    on_time = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)
    late = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)

    with time_machine.travel(local_deadline_utc + dt.timedelta(microseconds=999_999), tick=False):
        first = submit(on_time, pdf_bytes(6))
    with time_machine.travel(local_deadline_utc + dt.timedelta(seconds=1), tick=False):
        second = submit(late, pdf_bytes(6))

    assert (first.version.is_late, second.version.is_late) == (False, True)


def test_late_upload_is_accepted_and_marked_late_until_uploads_close(meeting, expert, storage_root):
    meeting.paper_uploads_close_at = dt.datetime(2009, 11, 12, 17, 0, tzinfo=ACCRA)
    meeting.save()

    result = submit(expert, pdf_bytes(6), now=dt.datetime(2009, 11, 12, 17, 0, tzinfo=ACCRA))

    assert result.version.is_late is True
    assert "late" in Message.objects.get(kind="paper_receipt").subject


def test_upload_in_the_last_second_before_closing_is_accepted(meeting, expert, storage_root):
    meeting.paper_uploads_close_at = dt.datetime(2009, 11, 12, 17, 0, tzinfo=ACCRA)
    meeting.save()

    result = submit(
        expert, pdf_bytes(6), now=dt.datetime(2009, 11, 12, 17, 0, 0, 999_999, tzinfo=ACCRA)
    )

    assert (result.created, result.version.is_late) == (True, True)


def test_upload_after_closing_is_refused_and_nothing_stored(meeting, expert, storage_root):
    meeting.paper_uploads_close_at = dt.datetime(2009, 11, 12, 17, 0, tzinfo=ACCRA)
    meeting.save()

    with pytest.raises(PaperRefused) as refused:
        submit(expert, pdf_bytes(6), now=dt.datetime(2009, 11, 12, 17, 0, 1, tzinfo=ACCRA))

    assert refused.value.message == (
        "Paper uploads closed on 12 November 2009, 17:00 Accra time (GMT). "
        "Please write to secretariat@example.org if you need to send your paper."
    )
    assert (Paper.objects.count(), PaperVersion.objects.count()) == (0, 0)
    assert stored_files(storage_root) == []


def test_paper_window_text_in_accra(meeting):
    window = paper_queries.paper_window(
        meeting, now=dt.datetime(2009, 11, 3, 20, 59, 59, tzinfo=ACCRA)
    )

    assert window.due_text(meeting) == "due 5 November 2009, 23:59 Accra time (GMT)"
    assert window.time_left == "2 days, 3 hours left"


def test_paper_window_text_in_new_york_after_the_deadline(db):
    meeting = MeetingFactory(time_zone="America/New_York")
    DeadlineFactory(meeting=meeting)

    window = paper_queries.paper_window(
        meeting, now=dt.datetime(2009, 11, 6, 2, 0, tzinfo=NEW_YORK)
    )

    assert window.due_text(meeting) == "due 5 November 2009, 23:59 New York time (EST)"
    assert window.time_left == "2 hours overdue"


def test_no_paper_deadline_means_on_time(db, storage_root):
    meeting = MeetingFactory()
    participant = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)

    result = submit(participant, pdf_bytes(6))

    assert result.version.is_late is False
    assert not meeting.deadlines.filter(kind=DeadlineKind.PAPER).exists()


def test_page_count_outside_range_needs_confirmation_of_that_file(expert, storage_root):
    short = pdf_bytes(3)

    with pytest.raises(PageCountWarning) as warned:
        submit(expert, short)
    assert warned.value.message == (
        "Your paper has 3 pages; this meeting asks for 5 to 10 pages. "
        "Please confirm that you want to submit it as it is."
    )
    sha256 = warned.value.checked.sha256
    assert PaperVersion.objects.count() == 0
    assert stored_files(storage_root) == [f"papers/held/{expert.pk}/{sha256}/paper.pdf"]

    with pytest.raises(PageCountWarning) as warned_again:
        submit(expert, pdf_bytes(12), confirmed_sha256=warned.value.checked.sha256)
    # Only the latest checked file is kept.
    assert [name.split("/")[3] for name in stored_files(storage_root)] == [
        warned_again.value.checked.sha256
    ]

    result = submit(expert, short, confirmed_sha256=warned.value.checked.sha256)
    assert result.version.page_count == 3


def test_unknown_page_count_needs_no_confirmation(expert, storage_root):
    result = submit(expert, docx_bytes(pages=None), name="paper.docx")

    assert result.version.page_count is None


def test_participant_not_registered_cannot_upload(meeting, storage_root):
    accepted = ParticipantFactory(meeting=meeting, status=Status.ACCEPTED)

    with pytest.raises(PaperRefused) as refused:
        submit(accepted, pdf_bytes(6))

    assert (
        refused.value.message == "Papers can be uploaded once you have registered for the meeting."
    )
    assert stored_files(storage_root) == []


def test_participant_not_asked_for_a_paper_cannot_upload(meeting, storage_root):
    observer = ParticipantFactory(meeting=meeting, status=Status.REGISTERED, role=Role.OBSERVER)

    with pytest.raises(PaperRefused) as refused:
        submit(observer, pdf_bytes(6))

    assert refused.value.message == "The organisers have not asked you for a paper."


def test_organisers_can_ask_another_role_for_a_paper(meeting, storage_root):
    observer = ParticipantFactory(
        meeting=meeting, status=Status.REGISTERED, role=Role.OBSERVER, paper_requested=True
    )

    assert submit(observer, pdf_bytes(6)).created is True


def test_new_version_resets_review_to_received(expert, organiser, storage_root):
    paper = submit(expert, pdf_bytes(6)).paper
    set_review_status(
        paper=paper, review_status=ReviewStatus.ACCEPTED, note="", changed_by=organiser
    )

    submit(expert, pdf_bytes(7))

    assert Paper.objects.get().review_status == ReviewStatus.RECEIVED


def test_review_change_emails_the_author_with_the_note(expert, organiser, storage_root):
    paper = submit(expert, pdf_bytes(6)).paper

    changed = set_review_status(
        paper=paper,
        review_status=ReviewStatus.NEEDS_REVISION,
        note="Please shorten section 3.",
        changed_by=organiser,
    )

    message = Message.objects.get(kind="paper_review")
    assert changed is True
    assert message.recipient == "kofi@example.org"
    assert message.subject == 'Your paper "Social integration in West Africa": needs revision'
    assert "Please shorten section 3." in message.body_text
    assert Paper.objects.get().review_note == "Please shorten section 3."


def test_review_without_change_sends_nothing(expert, organiser, storage_root):
    paper = submit(expert, pdf_bytes(6)).paper

    changed = set_review_status(
        paper=paper, review_status=ReviewStatus.RECEIVED, note="", changed_by=organiser
    )

    assert changed is False
    assert Message.objects.filter(kind="paper_review").count() == 0


def test_publishing_needs_the_author_consent(expert, organiser, storage_root):
    paper = submit(expert, pdf_bytes(6), consent_publish=False).paper

    with pytest.raises(PaperRefused) as refused:
        set_review_status(
            paper=paper, review_status=ReviewStatus.PUBLISHED, note="", changed_by=organiser
        )

    assert refused.value.code == "no_consent"
    assert Paper.objects.get().review_status == ReviewStatus.RECEIVED
    assert Message.objects.filter(kind="paper_review").count() == 0
