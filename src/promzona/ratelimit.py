"""A limit on costly requests per caller address: a fixed window counted in Django's cache.

With the default local-memory cache each server process counts on its own (the limit applies
per process); configure a shared cache (e.g. Redis) to count across processes. Logins have
their own, stricter throttle in :mod:`promzona.accounts.throttle`, whose ``client_address``
this uses.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from promzona.accounts.throttle import client_address


def rate_limit_wait(request, *, scope: str, limit: int, window: int,
                    now: float | None = None) -> int:
    """Count one request of the caller's address in ``scope``; return 0 to go ahead, or the
    seconds until its window of ``window`` seconds, already holding ``limit`` requests, ends."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = f"rate:{scope}:{client_address(request) or '-'}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return 0 if count <= limit else max(1, int(start + window - now))
