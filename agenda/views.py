import functools

from django.http import HttpResponse
from django.shortcuts import render

from . import feeds, queries


def home(request):
    return render(request, "agenda/home.html", {"meetings": queries.published_meetings()})


def meeting_page(request, slug: str):
    meeting = queries.get_published_meeting(slug)
    return render(
        request,
        "agenda/meeting.html",
        {
            "meeting": meeting,
            "programme": queries.programme_by_day(meeting),
            "key_dates": queries.key_dates(meeting),
        },
    )


def agenda_page(request, slug: str):
    meeting = queries.get_published_meeting(slug)
    return render(
        request,
        "agenda/agenda.html",
        {
            "meeting": meeting,
            # Called by the template only when its cached copy of the programme is stale.
            "programme": functools.partial(queries.programme_by_day, meeting),
            "fingerprint": queries.programme_fingerprint(meeting),
            "groups": meeting.working_groups.all(),
            # Named, not missing: 300 failed lookups in the programme cost time.
            "organise": False,
        },
    )


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def agenda_ics(request, slug: str):
    meeting = queries.get_published_meeting(slug)
    return _calendar_response(feeds.meeting_feed(meeting), f"{meeting.slug}.ics")


def group_ics(request, slug: str, group_slug: str):
    meeting = queries.get_published_meeting(slug)
    group = queries.get_group(meeting, group_slug)
    return _calendar_response(feeds.group_feed(meeting, group), f"{meeting.slug}-{group.slug}.ics")
