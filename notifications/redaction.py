"""What people reading the outbox see of a message: every secret part of a link hidden.

An invitation link lets whoever opens it answer in the invitee's name, and a calendar
link shows their personal agenda. The outbox keeps the real link (it is what is sent), and
the admin shows and exports message bodies through ``redact``, superusers included, so no
one reading the outbox holds a usable link. A link is secret when Django's URL resolver
maps its path onto a view argument named in ``SECRET_URL_ARGUMENTS``, so a later link with a
``token`` or ``key`` (allauth's confirmation and password-reset links have ``key``) is
covered without being listed here. Any host is looked at: a message queued under an
earlier SITE_URL is redacted all the same.
"""

import re
from urllib.parse import unquote, urlsplit

from django.urls import Resolver404, resolve

SECRET_URL_ARGUMENTS = frozenset({"token", "key"})
REDACTED = "[redacted]"
_LINK = re.compile(r"\b(?:https?|webcal)://[^\s/\"'<>]+(/[^\s\"'<>]*)", re.IGNORECASE)


def _redact_link(found: re.Match) -> str:
    link = found.group(0)
    try:
        # Punctuation after a link in prose ("...accept/).") is not part of its path.
        route = resolve(unquote(urlsplit(found.group(1)).path).rstrip(".,;:!?)]}"))
    except Resolver404:
        return link
    for name, value in route.kwargs.items():
        if name in SECRET_URL_ARGUMENTS and value:
            link = link.replace(str(value), REDACTED)
    return link


def redact(text: str) -> str:
    """``text`` with the secret part of every link to one of the site's views replaced."""
    return _LINK.sub(_redact_link, text) if text else text
