"""Rate limit for wrong invitation links: failures per client address and token prefix.

What makes a link unguessable is its token (256 bits, see ``participants.tokens``); this
counter stops one client from hammering one link, e.g. retrying a damaged copy of it.
Counting per address *and* token prefix keeps the guesses of one visitor from locking out
the others behind the same proxy, and the view looks a token up before consulting the
counter, so a valid link is never refused whatever anyone guessed before.
"""

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

MAX_FAILURES = 10
WINDOW_SECONDS = 10 * 60
# Long enough that two visitors' links never share it, short enough that a damaged copy of
# one link (cut off or mistyped near its end) still counts against that link.
PREFIX_LENGTH = 8


def _key(request, token: str) -> str:
    # allauth's adapter honours ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy.
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    # Hashed: the prefix is whatever the visitor typed, and cache keys must stay plain.
    prefix = hashlib.sha256(token[:PREFIX_LENGTH].encode("utf-8", "replace")).hexdigest()[:16]
    return f"participants:invitation-failures:{address}:{prefix}"


def blocked(request, token: str) -> bool:
    """Whether this client has failed too often with tokens starting like this one."""
    return (cache.get(_key(request, token)) or 0) >= MAX_FAILURES


def record_failure(request, token: str) -> None:
    """Count one wrong token from this client (side effect: a cache counter, 10 minutes)."""
    key = _key(request, token)
    # add() starts the window only once; incr() keeps its expiry.
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=WINDOW_SECONDS)
