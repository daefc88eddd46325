"""The organisers' import page: upload the invitee list, see what each row would do, confirm.

The preview is a dry run of ``importing.import_participants``; the confirmation carries the
file itself back, signed for this meeting, so nothing is stored between the two steps and
the confirmed import reads exactly the file that was previewed (validated again, all or
nothing).
"""

import base64

from django import forms
from django.contrib import messages
from django.core import signing
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
    ImportRejected,
    import_participants,
)

# A preview is confirmed within the hour or uploaded again.
CONFIRM_MAX_AGE = 60 * 60


class UploadForm(ErrorsDescribedMixin, forms.Form):
    file = forms.FileField(
        label="Invitee list (CSV or XLSX)",
        help_text=f"At most {MAX_FILE_BYTES // (1024 * 1024)} MB; one row per invitee.",
    )


def _column_name(field: str) -> str:
    column = COLUMN_BY_FIELD.get(field)
    return column.name if column else field


def _salt(meeting) -> str:
    return f"participants.import:{meeting.pk}"


def _sign(meeting, *, data: bytes, name: str) -> str:
    payload = {"name": name, "data": base64.b64encode(data).decode("ascii")}
    return signing.dumps(payload, salt=_salt(meeting), compress=True)


def _unsign(meeting, token: str) -> tuple[bytes, str]:
    payload = signing.loads(token, salt=_salt(meeting), max_age=CONFIRM_MAX_AGE)
    return base64.b64decode(payload["data"]), payload["name"]


@require_http_methods(["GET", "HEAD", "POST"])
@organiser_required
def import_page(request, meeting):
    form = UploadForm()
    context = {
        "meeting": meeting,
        "allowed": import_template.allowed_values(),
        "template_headers": import_template.HEADERS,
    }
    status = 200
    if request.method == "POST" and "confirm" in request.POST:
        try:
            data, name = _unsign(meeting, request.POST.get("confirm", ""))
        except (signing.BadSignature, KeyError, ValueError):
            messages.error(request, "This preview has expired; upload the file again.")
            return redirect("participants:import", slug=meeting.slug)
        try:
            summary = import_participants(meeting=meeting, data=data, filename=name)
        except ImportRejected as exc:
            form.add_error(None, [str(error) for error in exc.errors])
            status = 400
        else:
            messages.success(request, f"{summary} New participants are not yet invited.")
            return redirect(
                f"{reverse('participants:tracker', kwargs={'slug': meeting.slug})}"
                "?status=not_invited"
            )
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(MAX_FILE_BYTES + 1)
            try:
                summary = import_participants(
                    meeting=meeting, data=data, filename=upload.name, dry_run=True
                )
            except ImportRejected as exc:
                for error in exc.errors:
                    form.add_error("file", str(error))
            else:
                context["summary"] = summary
                context["rows"] = [
                    (number, outcome, person, [_column_name(name) for name in changed])
                    for number, outcome, person, changed in summary.outcomes
                ]
                context["file_name"] = upload.name
                context["confirm"] = _sign(meeting, data=data, name=upload.name)
        if form.errors:
            status = 400
    context["form"] = form
    return render(request, "participants/organise/import.html", context, status=status)


@organiser_required
def import_template_download(request, meeting, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        content = import_template.template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = import_template.template_csv()
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="participants-template.{fmt}"'
    return response
