"""The organisers' import page: upload the invitee list, see what each row would do, confirm.

The preview is a dry run of ``importing.import_participants``. The previewed file waits in
the cache for an hour at most (a list can be larger than a form field may carry, and kept in
the session it would be read back on every request until confirmed); the organiser's
session holds its name and checksum, and the confirmation names it by checksum: what is
imported is exactly the file that was previewed, validated again, all or nothing.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agenda.access import organiser_required

from .. import import_template
from ..forms import ErrorsDescribedMixin
from ..importing import (
    COLUMN_BY_FIELD,
    MAX_FILE_BYTES,
    PREVIEW_ROWS,
    ImportRejected,
    import_participants,
)


class UploadForm(ErrorsDescribedMixin, forms.Form):
    file = forms.FileField(
        label="Invitee list (CSV or XLSX)",
        help_text=f"At most {MAX_FILE_BYTES // (1024 * 1024)} MB; one row per invitee.",
    )


def _column_name(field: str) -> str:
    column = COLUMN_BY_FIELD.get(field)
    return column.name if column else field


# How long a previewed file waits for its confirmation (it holds names and addresses).
PREVIEW_KEPT_SECONDS = 3600


def _session_key(meeting) -> str:
    return f"participants.import:{meeting.pk}"


def _file_key(meeting, sha256: str) -> str:
    return f"participants:import-preview:{meeting.pk}:{sha256}"


@require_http_methods(["GET", "HEAD", "POST"])
@organiser_required
def import_page(request, meeting):
    key = _session_key(meeting)
    if request.method == "POST" and "confirm" in request.POST:
        held = request.session.get(key) or {}
        data = None
        if held and held["sha256"] == request.POST["confirm"]:
            data = cache.get(_file_key(meeting, held["sha256"]))
        if data is None:
            messages.error(request, "This preview has expired; upload the file again.")
            return redirect("participants:import", slug=meeting.slug)
        del request.session[key]
        cache.delete(_file_key(meeting, held["sha256"]))
        # The same bytes passed the preview's validation, so this writes every row.
        summary = import_participants(meeting=meeting, data=data, filename=held["name"])
        messages.success(request, f"{summary} New participants are not yet invited.")
        tracker = reverse("participants:tracker", kwargs={"slug": meeting.slug})
        return redirect(f"{tracker}?status=not_invited")

    form = UploadForm(request.POST or None, request.FILES or None)
    context = {
        "meeting": meeting,
        "form": form,
        "allowed": import_template.allowed_values(),
        "template_headers": import_template.HEADERS,
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_FILE_BYTES + 1)
        try:
            summary = import_participants(
                meeting=meeting,
                data=data,
                filename=upload.name,
                dry_run=True,
                preview_rows=PREVIEW_ROWS,
            )
        except ImportRejected as exc:
            for error in exc.errors:
                form.add_error("file", str(error))
        else:
            sha256 = hashlib.sha256(data).hexdigest()
            cache.set(_file_key(meeting, sha256), data, timeout=PREVIEW_KEPT_SECONDS)
            request.session[key] = {"name": upload.name, "sha256": sha256}
            context.update(
                summary=summary,
                file_name=upload.name,
                confirm=sha256,
                not_listed=summary.total - len(summary.outcomes),
                rows=[
                    (number, outcome, person, [_column_name(name) for name in changed])
                    for number, outcome, person, changed in summary.outcomes
                ],
            )
    status = 400 if form.errors else 200
    return render(request, "participants/organise/import.html", context, status=status)


@organiser_required
def import_template_download(request, meeting, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content, content_type, name = import_template.template_file(fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
