"""The organiser area's menu, the "Organise" link of public meeting pages, and the
header's link to a person's own meetings."""

from django import template
from django.urls import reverse

from .. import link_sign_in
from ..dashboard.menu import menu

register = template.Library()


@register.inclusion_tag("participants/organise/_menu.html", takes_context=True)
def organise_menu(context) -> dict:
    """The menu of the organiser area, on every page under the meeting's ``organise/``.

    ``base.html`` asks for it on every page, so a new organiser page has it without doing
    anything; elsewhere it is empty. Those pages already let only organisers in.
    """
    meeting = context.get("meeting")
    request = context.get("request")
    if not getattr(meeting, "slug", None) or request is None:
        return {"links": []}
    home = reverse("participants:dashboard", kwargs={"slug": meeting.slug})
    if not request.path.startswith(home):
        return {"links": []}
    return {"meeting": meeting, "links": menu(meeting, path=request.path)}


@register.simple_tag(takes_context=True)
def organise_url(context) -> str:
    """The meeting's dashboard for its organisers; "" for everyone else.

    Organisers are staff, so visitors and participants cost no query.
    """
    meeting = context.get("meeting")
    user = context.get("user")
    if meeting is None or user is None or not user.is_authenticated or not user.is_staff:
        return ""
    if not getattr(meeting, "pk", None):
        return ""
    url = reverse("participants:dashboard", kwargs={"slug": meeting.slug})
    request = context.get("request")
    if request is not None and request.path.startswith(url):
        return ""  # the organiser menu is on the page already
    return url if user.has_perm("agenda.organise_meeting", meeting) else ""


@register.simple_tag(takes_context=True)
def participation_url(context) -> str:
    """Where "My participation" leads: the portal of the meeting an invitation link opened
    (such a session is signed in for that meeting alone), else the person's landing page."""
    request = context.get("request")
    scope = link_sign_in.scope(request) if request is not None else None
    if scope is not None and scope.meeting_slug:
        return reverse("participant:portal", kwargs={"slug": scope.meeting_slug})
    return reverse("participant:my_participation")
