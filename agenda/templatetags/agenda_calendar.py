"""Links that add a feed to a calendar: webcal:// for subscribing, https:// for download."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


@register.inclusion_tag("agenda/_calendar_links_inner.html")
def calendar_links(meeting, participant=None):
    """Subscribe/download links: the participant's personal feed if they have a token,
    else the whole meeting's feed."""
    if getattr(participant, "calendar_token", ""):
        path = reverse(
            "agenda:personal_ics",
            kwargs={"slug": meeting.slug, "token": participant.calendar_token},
        )
        label = "your personal agenda"
    else:
        path = reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})
        label = "the whole agenda"
    url = _absolute(path)
    return {"label": label, "download_url": url, "webcal_url": _webcal(url)}


@register.simple_tag
def group_feed_links(meeting, group):
    path = reverse("agenda:group_ics", kwargs={"slug": meeting.slug, "group_slug": group.slug})
    url = _absolute(path)
    return {"download_url": url, "webcal_url": _webcal(url)}
