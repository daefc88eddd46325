"""Template tags that show the outbox on pages of lower apps, with links' tokens hidden.

The participant's organiser page (``participants``) shows that person's messages without
importing this app: its template loads these tags.
"""

from django import template

from ..mailroom.queries import history
from ..redaction import redact as redact_text

register = template.Library()


@register.filter
def redact(text: str) -> str:
    """The text with the secret part of every link to the site hidden."""
    return redact_text(text)


@register.inclusion_tag("notifications/outbox/_history.html")
def message_history(meeting, email: str) -> dict:
    """One person's messages from the meeting, newest first."""
    return {"meeting": meeting, "history": history(meeting, email), "recipient": email}
