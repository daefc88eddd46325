from django.shortcuts import render

from . import queries


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
