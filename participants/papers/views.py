"""Pages for expert papers: the participant's upload, the organisers' tracker and review,
the ZIP of all papers, permission-checked downloads and the public documentation page."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agenda import audit
from agenda.access import organiser_required
from agenda.queries import get_published_meeting

from ..models import Paper, PaperVersion, Participant
from . import queries as paper_queries
from . import rules as paper_rules  # noqa: F401  (registers the download permission)
from .archive import ArchiveEntry, archive_names, stream_zip
from .checks import ascii_slug
from .forms import PaperForm, PaperRequestForm, ReviewForm
from .services import (
    PageCountWarning,
    PaperRefused,
    set_paper_requested,
    set_review_status,
    submit_paper,
)
from .uploads import PaperSizeLimitHandler


# CSRF is checked inside, once the size limit is in the upload chain: the CSRF middleware
# would otherwise read the whole body (and any huge file) before the view could limit it.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def submit(request, slug: str):
    participant = get_object_or_404(
        Participant.objects.for_user(request.user).select_related("meeting"), meeting__slug=slug
    )
    limit = PaperSizeLimitHandler(request, max_bytes=participant.meeting.paper_max_bytes)
    request.upload_handlers.insert(0, limit)
    return _submit(request, participant, limit)


@csrf_protect
def _submit(request, participant: Participant, limit: PaperSizeLimitHandler):
    meeting = participant.meeting
    paper = paper_queries.paper_of(participant)
    warning = None
    held_name = ""
    if request.method == "POST":
        form = PaperForm(request.POST, request.FILES, file_refused=limit.refused_message)
        if form.is_valid():
            try:
                result = submit_paper(
                    participant=participant,
                    title=form.cleaned_data["title"],
                    abstract=form.cleaned_data["abstract"],
                    consent_publish=form.cleaned_data["consent_publish"],
                    upload=form.cleaned_data["file"],
                    uploaded_by=request.user,
                    confirmed_sha256=form.confirmed_checksum(),
                )
            except PageCountWarning as exc:
                warning = exc.message
                held_name = exc.display_name
                form = PaperForm(
                    initial={
                        **{key: form.cleaned_data[key] for key in ("title", "abstract")},
                        "consent_publish": form.cleaned_data["consent_publish"],
                        "confirmed_sha256": exc.checked.sha256,
                    }
                )
            except PaperRefused as exc:
                form.add_error(
                    "file" if exc.code not in ("closed", "no_title") else None, exc.message
                )
            else:
                version = result.version
                if result.created:
                    messages.success(
                        request,
                        f"Thank you: version {version.number} of your paper was received "
                        f"{paper_queries.format_moment(meeting, version.uploaded_at)}"
                        f"{' (after the deadline)' if version.is_late else ''}. "
                        "A receipt is on its way by email.",
                    )
                else:
                    messages.info(
                        request,
                        f"This file is identical to version {version.number}, received "
                        f"{paper_queries.format_moment(meeting, version.uploaded_at)}; "
                        "no new version was made. Your title, abstract and consent were saved.",
                    )
                return redirect("papers:submit", slug=meeting.slug)
    else:
        if paper is not None:
            initial = {
                "title": paper.title,
                "abstract": paper.abstract,
                "consent_publish": paper.consent_publish,
            }
        else:
            # A first upload starts from the consent given at registration.
            consent = paper_queries.registration_consents_to_publish(participant)
            initial = {"consent_publish": consent}
        form = PaperForm(initial=initial)
    window = paper_queries.paper_window(meeting)
    return render(
        request,
        "participants/papers/submit.html",
        {
            "meeting": meeting,
            "participant": participant,
            "paper": paper,
            "versions": list(paper.versions.all()) if paper else [],
            "form": form,
            "warning": warning,
            "held_name": held_name,
            "window": window,
            "due_text": window.due_text(meeting),
            "closes_text": window.closes_text(meeting),
            "may_upload": participant.owes_paper or paper is not None,
        },
        status=400 if request.method == "POST" and (form.errors or warning) else 200,
    )


@organiser_required
@require_GET
def tracker(request, meeting):
    window = paper_queries.paper_window(meeting)
    show = request.GET.get("show", "")
    show = show if show in paper_queries.Show.values else ""
    tracker = paper_queries.paper_tracker(meeting, show)
    return render(
        request,
        "participants/papers/tracker.html",
        {
            "meeting": meeting,
            "tracker": tracker,
            "show": show,
            "show_label": paper_queries.Show(show).label if show else "",
            "shows": [
                (value, label, getattr(tracker, value))
                for value, label in paper_queries.Show.choices
            ],
            "due_text": window.due_text(meeting),
        },
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def review(request, meeting, paper_id: int):
    try:
        paper = paper_queries.paper_for_review(meeting, paper_id)
    except Paper.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                changed = set_review_status(
                    paper=paper,
                    review_status=form.cleaned_data["review_status"],
                    note=form.cleaned_data["note"],
                    changed_by=request.user,
                )
            except PaperRefused as exc:
                form.add_error("review_status", exc.message)
            else:
                if changed:
                    messages.success(request, "Review saved; the author has been emailed.")
                else:
                    messages.info(request, "Nothing changed; no email was sent.")
                return redirect("papers:tracker", slug=meeting.slug)
    else:
        form = ReviewForm(initial={"review_status": paper.review_status, "note": paper.review_note})
    return render(
        request,
        "participants/papers/review.html",
        {
            "meeting": meeting,
            "paper": paper,
            "versions": list(paper.versions.all()),
            "form": form,
            "history": audit.entries(Paper.history.filter(id=paper.pk)),
            "out_of_range": paper_queries.outside_page_range(
                meeting, paper.current_version.page_count if paper.current_version else None
            ),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@organiser_required
def request_paper(request, meeting, pk: int):
    """Organisers ask one participant for a paper, excuse them, or follow the role again."""
    participant = get_object_or_404(
        Participant.objects.select_related("meeting"), meeting=meeting, pk=pk
    )
    form = PaperRequestForm(request.POST, participant=participant)
    if form.is_valid():
        if set_paper_requested(participant=participant, requested=form.requested_value()):
            messages.success(request, "Saved: the paper request has changed.")
        else:
            messages.info(request, "Nothing changed.")
    else:
        messages.error(request, "Choose whether this participant is asked for a paper.")
    return redirect("participant:organise_participant", slug=meeting.slug, pk=participant.pk)


@organiser_required
@require_GET
def archive(request, meeting):
    versions = list(paper_queries.current_versions(meeting))
    names = archive_names(
        (v.paper.participant.family_name, v.paper.title, v.file.name.rsplit(".", 1)[-1])
        for v in versions
    )
    entries = [
        ArchiveEntry(
            name=name,
            open=(lambda f=v.file: f.storage.open(f.name, "rb")),
            modified=v.uploaded_at,
            size=v.size,
        )
        for name, v in zip(names, versions, strict=True)
    ]
    response = StreamingHttpResponse(stream_zip(entries), content_type="application/zip")
    filename = f"{ascii_slug(meeting.slug) or 'meeting'}-papers.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download(request, slug: str, version_id: int):
    try:
        version = paper_queries.version_in_meeting(slug, version_id)
    except PaperVersion.DoesNotExist as exc:
        raise Http404 from exc
    # Not found for whoever may not see it, signed in or not: a redirect to sign in would
    # tell an anonymous visitor that the paper exists.
    if not request.user.has_perm("participants.download_paper_version", version):
        raise Http404
    response = FileResponse(version.file.open("rb"), content_type=version.content_type)
    response["Content-Disposition"] = attachment_header(version.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_header(filename: str) -> str:
    """RFC 6266: an ASCII fallback name, and the real name in UTF-8 as filename*."""
    stem, dot, extension = filename.rpartition(".")
    fallback_stem = ascii_slug(stem if dot else filename, max_length=80) or "paper"
    fallback = f"{fallback_stem}.{ascii_slug(extension)}" if dot else fallback_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@require_GET
def documents(request, slug: str):
    meeting = get_published_meeting(slug)
    papers = list(paper_queries.published_papers(meeting))
    return render(
        request,
        "participants/papers/documents.html",
        {
            "meeting": meeting,
            "papers": papers,
            "meeting_url": reverse("agenda:meeting", kwargs={"slug": slug}),
        },
    )
