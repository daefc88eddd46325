import functools

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

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


def calendar_response(request, feed, filename: str) -> HttpResponse:
    """The feed, or 304 with no body when the client's copy (If-None-Match, else
    If-Modified-Since) is current; the feed is built only when it is sent."""
    fresh = feed.freshness
    last_modified = int(fresh.last_modified.timestamp())
    response = get_conditional_response(request, etag=fresh.etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(feed.content(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = fresh.etag
    response["Last-Modified"] = http_date(last_modified)
    # Public feeds may be kept by proxies; a personal feed's URL is a secret: never shared
    # caches, and no referrer.
    scope = "public" if feed.public else "private"
    response["Cache-Control"] = f"{scope}, max-age={fresh.max_age}"
    if not feed.public:
        response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def agenda_ics(request, slug: str):
    meeting = queries.get_published_meeting(slug)
    return calendar_response(request, feeds.ProgrammeFeed(meeting), f"{meeting.slug}.ics")


@require_safe
def group_ics(request, slug: str, group_slug: str):
    meeting = queries.get_published_meeting(slug)
    group = queries.get_group(meeting, group_slug)
    return calendar_response(
        request, feeds.ProgrammeFeed(meeting, group), f"{meeting.slug}-{group.slug}.ics"
    )
