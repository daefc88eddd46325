"""Writes for expert papers: submitting a file (a new version) and reviewing a paper.

Every function validates first and writes inside one transaction; the receipt and review
emails go through ``notifications.outbox`` and leave after commit.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agenda.text import strip_invisible
from notifications import outbox

from ..models import Paper, PaperVersion, Participant, ReviewStatus, Status
from . import held
from . import queries as paper_queries
from .checks import (
    CheckedFile,
    PaperFileError,
    ascii_slug,
    check_paper_file,
    safe_display_name,
)

# Who may upload: a participant who has registered (or has since attended).
UPLOADING_STATUSES = (Status.REGISTERED, Status.ATTENDED)


class PaperRefused(Exception):
    """The upload is not accepted (closed, not asked for a paper, bad file); nothing stored."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class PageCountWarning(Exception):
    """The file is fine but its page count is outside the meeting's range; confirm first."""

    def __init__(
        self, *, checked: CheckedFile, min_pages: int, max_pages: int, display_name: str = ""
    ):
        self.checked = checked
        self.display_name = display_name
        self.message = (
            f"Your paper has {checked.page_count} pages; this meeting asks for "
            f"{min_pages} to {max_pages} pages. Please confirm that you want to submit it as it is."
        )
        super().__init__(self.message)


@dataclass(frozen=True)
class Submission:
    paper: Paper
    version: PaperVersion
    created: bool  # False when the same file was already a version of this paper


def submit_paper(
    *,
    participant: Participant,
    title: str,
    abstract: str,
    consent_publish: bool,
    upload: File | None,
    uploaded_by: AbstractBaseUser | None,
    confirmed_sha256: str = "",
    now: dt.datetime | None = None,
) -> Submission:
    """Check ``upload`` and store it as the next version of the participant's paper.

    Side effects: writes the file to the private default storage, creates or updates the
    ``Paper``, creates a ``PaperVersion`` and makes it current, and queues a receipt to the
    participant. An identical file (same SHA-256) already on the paper makes no new version
    and no receipt. A page count outside the meeting's range raises ``PageCountWarning``
    unless ``confirmed_sha256`` names this very file; before raising it, the checked file is
    held in private storage (``held.hold``), so the confirmation may come with ``upload``
    None and ``confirmed_sha256`` naming the held file. A stored paper releases what was
    held. Raises ``PaperRefused`` (nothing stored) when uploads are closed, the participant
    owes no paper, the file is refused, or no file came and none is held.
    """
    now = now or timezone.now()
    meeting = participant.meeting
    _check_may_upload(participant, now=now)
    if upload is None:
        upload = held.open_held(participant_id=participant.pk, sha256=confirmed_sha256)
        if upload is None:
            raise PaperRefused(
                "The file you uploaded before is no longer kept: please choose it again.",
                "not_held",
            )
    try:
        checked = check_paper_file(upload, max_bytes=meeting.paper_max_bytes)
    except PaperFileError as exc:
        raise PaperRefused(exc.message, exc.code) from exc
    pages = checked.page_count
    display_name = safe_display_name(getattr(upload, "name", ""), extension=checked.extension)
    if paper_queries.outside_page_range(meeting, pages) and confirmed_sha256 != checked.sha256:
        held.hold(
            participant_id=participant.pk,
            upload=upload,
            sha256=checked.sha256,
            display_name=display_name,
        )
        raise PageCountWarning(
            checked=checked,
            min_pages=meeting.paper_min_pages,
            max_pages=meeting.paper_max_pages,
            display_name=display_name,
        )
    title = " ".join(strip_invisible(title).split())
    if not title:
        raise PaperRefused("Please give the paper a title.", "no_title")
    due_at = paper_queries.paper_deadline(meeting)

    with transaction.atomic():
        # The participant row serialises uploads by one person: of two racing uploads of
        # the same new file, the second sees the first's version and makes none.
        Participant.objects.select_for_update().only("pk").get(pk=participant.pk)
        paper, _ = Paper.objects.get_or_create(participant=participant, defaults={"title": title})
        paper.participant = participant
        paper.title = title
        paper.abstract = abstract.strip()
        paper.consent_publish = consent_publish
        existing = paper.versions.filter(sha256=checked.sha256).first()
        if existing is not None:
            paper.full_clean()
            paper.save(update_fields=["title", "abstract", "consent_publish", "updated_at"])
            transaction.on_commit(lambda: held.release(participant_id=participant.pk))
            return Submission(paper=paper, version=existing, created=False)

        number = (paper.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = PaperVersion(
            paper=paper,
            number=number,
            original_name=display_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            page_count=pages,
            uploaded_at=now,
            uploaded_by=uploaded_by,
            is_late=is_late(now, due_at),
        )
        stored_name = (
            f"{ascii_slug(participant.family_name, max_length=40) or 'paper'}.{checked.extension}"
        )
        upload.seek(0)
        version.file.save(stored_name, File(upload), save=False)
        try:
            version.full_clean()
            version.save()
            # A new file is reviewed afresh, even if an earlier one was accepted or published.
            paper.current_version = version
            paper.review_status = ReviewStatus.RECEIVED
            paper.full_clean()
            paper.save()
            _queue_receipt(paper=paper, version=version, due_at=due_at)
            transaction.on_commit(lambda: held.release(participant_id=participant.pk))
        except BaseException:
            default_storage.delete(version.file.name)
            raise
    return Submission(paper=paper, version=version, created=True)


def is_late(moment: dt.datetime, due_at: dt.datetime | None) -> bool:
    """Late iff after the deadline's last second: 23:59:59.999 on the due day is on time."""
    if due_at is None:
        return False
    return moment.replace(microsecond=0) > due_at


def _check_may_upload(participant: Participant, *, now: dt.datetime) -> None:
    meeting = participant.meeting
    if participant.status not in UPLOADING_STATUSES:
        raise PaperRefused(
            "Papers can be uploaded once you have registered for the meeting.", "not_registered"
        )
    if not participant.owes_paper and not Paper.objects.filter(participant=participant).exists():
        raise PaperRefused("The organisers have not asked you for a paper.", "not_requested")
    close_at = meeting.paper_uploads_close_at
    if close_at is not None and is_late(now, close_at):
        raise PaperRefused(
            "Paper uploads closed on "
            f"{paper_queries.format_moment(meeting, close_at)}. "
            f"Please write to {meeting.contact_email or 'the organisers'} if you need to send "
            "your paper.",
            "closed",
        )


def _queue_receipt(*, paper: Paper, version: PaperVersion, due_at: dt.datetime | None) -> None:
    participant = paper.participant
    meeting = participant.meeting
    outbox.queue_templated(
        template="participants/email/paper_receipt",
        context={
            "participant": participant,
            "meeting": meeting,
            "paper": paper,
            "version": version,
            "received_at": paper_queries.format_moment(meeting, version.uploaded_at),
            "due": paper_queries.format_moment(meeting, due_at) if due_at else "",
        },
        recipient=participant.email,
        idempotency_key=f"paper-receipt:{version.pk}",
        kind="paper_receipt",
        meeting=meeting,
    )


def check_may_publish(paper: Paper) -> None:
    """The one rule for publishing, wherever it is asked for: the author consented (their
    choice alone, made on the upload page) and there is a file. Raises ``PaperRefused``."""
    if not paper.consent_publish:
        raise PaperRefused(
            "The author has not consented to publication, so the paper cannot be published.",
            "no_consent",
        )
    if paper.current_version_id is None:
        raise PaperRefused("There is no file to publish.", "no_file")


def set_review_status(
    *,
    paper: Paper,
    review_status: str,
    note: str,
    changed_by: AbstractBaseUser | None,
    now: dt.datetime | None = None,
) -> bool:
    """Record the organisers' review of a paper and email the author what changed.

    Side effects: updates ``review_status`` and ``review_note`` and queues an email to the
    author. Returns False (nothing written, nothing sent) when neither changed. Publishing
    needs the author's consent and a file; otherwise raises ``PaperRefused``.
    """
    now = now or timezone.now()
    note = note.strip()
    if review_status not in ReviewStatus.values:
        raise PaperRefused("Choose one of the review statuses.", "bad_status")
    with transaction.atomic():
        paper = (
            Paper.objects.select_for_update(of=("self",))
            .select_related("participant__meeting", "current_version")
            .get(pk=paper.pk)
        )
        if review_status == ReviewStatus.PUBLISHED:
            check_may_publish(paper)
        if paper.review_status == review_status and paper.review_note == note:
            return False
        paper.review_status = review_status
        paper.review_note = note
        paper.full_clean()
        if changed_by is not None:
            paper._history_user = changed_by
        paper.save(update_fields=["review_status", "review_note", "updated_at"])
        participant = paper.participant
        outbox.queue_templated(
            template="participants/email/paper_review",
            context={"participant": participant, "meeting": participant.meeting, "paper": paper},
            recipient=participant.email,
            idempotency_key=f"paper-review:{paper.pk}:{now.isoformat()}:{review_status}",
            kind="paper_review",
            meeting=participant.meeting,
        )
    return True


def set_paper_requested(*, participant: Participant, requested: bool | None) -> bool:
    """Ask a participant for a paper (True), excuse them (False) or follow the meeting's
    paper roles again (None).

    Side effects: updates ``Participant.paper_requested``; sends no mail (the portal and
    the upload page follow the new value at once). Returns False when nothing changed.
    Papers already uploaded stay, and their author may still replace them.
    """
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.paper_requested is requested:
            return False
        participant.paper_requested = requested
        participant.full_clean()
        participant.save(update_fields=["paper_requested", "updated_at"])
    return True
