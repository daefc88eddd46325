"""Invitation link tokens: derived, never stored; only their SHA-256 hash is kept for lookup.

Why derived rather than random-and-forgotten: an explicit "resend" must mail the *same*
link again, yet the database keeps only ``Participant.invitation_token_hash``. A token
made with ``secrets.token_urlsafe`` could not be shown a second time without storing it.
So the token is an HMAC (Django's ``salted_hmac``, SHA-256, keyed with ``SECRET_KEY``)
of the participant's id and the invitation round, where the round is the moment the
first invitation of that round was sent (``Participant.invited_at``, microseconds).
Nobody without ``SECRET_KEY`` can compute it (256 bits, like ``token_urlsafe(32)``), the
server can compute it again for a reminder, and starting a new round (a new
``invited_at``) gives a new token whose hash replaces the old one, so the old link dies.
If ``SECRET_KEY`` is rotated, a reminder carries a new token and the old link stops
working: the hash no longer matches what the key derives.
"""

import base64
import datetime as dt

from django.utils.crypto import salted_hmac

from .models import Participant

SALT = "participants.invitation-token"


def round_id(invited_at: dt.datetime) -> str:
    """The invitation round's identity: the first send's time, to the microsecond."""
    return str(int(invited_at.timestamp() * 1_000_000))


def invitation_token(participant: Participant) -> str:
    """The link token of the participant's current invitation round (43 url-safe chars)."""
    if participant.pk is None or participant.invited_at is None:
        raise ValueError("Only an invited participant has an invitation token.")
    digest = salted_hmac(
        SALT, f"{participant.pk}:{round_id(participant.invited_at)}", algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return Participant.hash_token(token)
