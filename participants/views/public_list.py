"""The public list of participants: only those who agreed to be listed, only safe columns."""

from django.http import HttpResponse
from django.shortcuts import render

from agenda.queries import get_published_meeting

from .. import exports


def public_participants(request, slug: str):
    meeting = get_published_meeting(slug)
    return render(
        request,
        "participants/public_list.html",
        {
            "meeting": meeting,
            "headers": exports.PUBLIC_HEADERS,
            "rows": exports.public_rows(meeting),
        },
    )


def public_participants_csv(request, slug: str):
    meeting = get_published_meeting(slug)
    response = HttpResponse(exports.public_csv(meeting), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-participants.csv"'
    return response
