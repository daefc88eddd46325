"""The organiser area's menu: the same links on every organiser page of a meeting.

Links are reversed by name and left out when the name does not exist, so the pages of
apps that add them later (logistics, reminders, an outbox page of the meeting's own)
appear in the menu as soon as their URLs are installed.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from agenda.models import Meeting


def safe_reverse(name: str, *args, query: dict | None = None, **kwargs) -> str:
    """``reverse`` that answers "" for a URL name not installed (yet)."""
    try:
        url = reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    query = {key: value for key, value in (query or {}).items() if value not in ("", None)}
    return f"{url}?{urlencode(query)}" if query else url


def outbox_url(meeting: Meeting, status: str = "") -> str:
    """The meeting's outgoing mail: its own page once there is one, else the back office's."""
    return safe_reverse(
        "notifications:outbox", slug=meeting.slug, query={"status": status}
    ) or safe_reverse(
        "admin:notifications_message_changelist",
        query={"meeting__id__exact": meeting.pk, "status__exact": status},
    )


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False
    back_office: bool = False


def menu(meeting: Meeting, *, path: str = "") -> list[Link]:
    """The organiser menu for ``meeting``; the entry whose page ``path`` is in is current."""
    slug = meeting.slug
    candidates = [
        ("Dashboard", safe_reverse("participants:dashboard", slug=slug), False),
        ("Participants", safe_reverse("participants:tracker", slug=slug), False),
        ("Agenda", safe_reverse("agenda:organise", slug=slug), False),
        ("Papers", safe_reverse("papers:tracker", slug=slug), False),
        ("Logistics", safe_reverse("logistics:organise", slug=slug), False),
        ("Reminders", safe_reverse("reminders:list", slug=slug), False),
        # The meeting's outbox page; its numbers on the dashboard open the back office's list,
        # which filters by status.
        ("Outbox", safe_reverse("outbox:page", slug=meeting.slug) or outbox_url(meeting), False),
        ("Exports", safe_reverse("participants:exports", slug=slug), False),
        ("Import", safe_reverse("participants:import", slug=slug), False),
        ("Admin", safe_reverse("admin:agenda_meeting_change", meeting.pk), True),
    ]
    links = [(label, url, admin) for label, url, admin in candidates if url]
    # The deepest organiser page that ``path`` lies under is the current one.
    current = max(
        (url for _, url, admin in links if not admin and "?" not in url and path.startswith(url)),
        key=len,
        default=None,
    )
    return [Link(label, url, url == current, admin) for label, url, admin in links]
