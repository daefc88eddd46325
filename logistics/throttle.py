"""Rate limit for the public verification page: lookups per client address in a window.

Every lookup counts, found or not, so that codes cannot be guessed in bulk.
"""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

MAX_LOOKUPS = 20
WINDOW_SECONDS = 10 * 60


def _key(request) -> str:
    # allauth's adapter honours ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy.
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    return f"logistics:verify-lookups:{address}"


def allow(request) -> bool:
    """Count this lookup; False once the address has used up its window."""
    key = _key(request)
    # add() starts the window only once; incr() keeps its expiry.
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= MAX_LOOKUPS
