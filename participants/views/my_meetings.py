"""A signed-in person's meetings: those they organise and those they take part in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import queries


@login_required
def my_meetings(request):
    return render(
        request,
        "participants/my_meetings.html",
        {"meetings": queries.my_meetings(request.user)},
    )
