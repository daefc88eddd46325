"""Rate limit for invitation-link guesses: failures per client address in a fixed window."""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

MAX_FAILURES = 10
WINDOW_SECONDS = 10 * 60


def _key(request) -> str:
    # allauth's adapter honours ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy.
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    return f"participants:invitation-failures:{address}"


def blocked(request) -> bool:
    return (cache.get(_key(request)) or 0) >= MAX_FAILURES


def record_failure(request) -> None:
    key = _key(request)
    # add() starts the window only once; incr() keeps its expiry.
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=WINDOW_SECONDS)
