"""A signed-in person's meetings: those they organise and those they take part in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import queries


@login_required
def my_meetings(request):
    return render(
        request,
        "participants/my_meetings.html",
        {"meetings": queries.my_meetings(request.user)},
    )


@login_required
def my_participation(request):
    """The header's "My participation": the portal of one's meeting, or the list of several."""
    return redirect(queries.landing_url(request.user))
