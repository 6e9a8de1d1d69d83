"""Keeping robots off the public intake form without storing who the visitors are.

Two checks: a honeypot field that people never see (robots fill it), and a submission
counter per client address and per session, kept in the cache for one window only. The
address is never stored as such: the cache key is an HMAC of it under the site's secret key,
and it expires with the window.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

HONEYPOT_FIELD = "website"
_SALT = "sti.servicedesk.rate"


def limits() -> tuple[int, int]:
    """(submissions allowed per window, window in seconds)."""
    count, seconds = getattr(settings, "STI_SERVICEDESK_RATE", (5, 3600))
    return int(count), int(seconds)


def client_address(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(request) -> list[str]:
    keys = ["ip:" + salted_hmac(_SALT, client_address(request)).hexdigest()[:32]]
    if request.session.session_key:
        keys.append("session:" + salted_hmac(_SALT, request.session.session_key).hexdigest()[:32])
    return [f"servicedesk:rate:{key}" for key in keys]


def over_limit(request) -> bool:
    """Whether this client already sent the allowed number of requests in the window."""
    count, _seconds = limits()
    return any((cache.get(key) or 0) >= count for key in _keys(request))


def count_submission(request) -> None:
    """Count one accepted submission for the client's address and session."""
    _count, seconds = limits()
    if not request.session.session_key:
        request.session.save()
    for key in _keys(request):
        if cache.add(key, 1, timeout=seconds):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds)
