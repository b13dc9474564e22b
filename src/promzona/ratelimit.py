"""A limit on costly requests per caller address: a sliding window counted in the database,
so every app server sees the same counts. Logins have their own, stricter throttle in
:mod:`promzona.accounts.throttle`, whose rows (``Attempt``) and ``client_address`` this uses.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from promzona.accounts.models import Attempt
from promzona.accounts.throttle import client_address


def rate_limit_wait(request, *, scope: str, limit: int, window: int,
                    now: dt.datetime | None = None) -> int:
    """Count one request of the caller's address in ``scope``; return 0 to go ahead, or the
    seconds until one of the ``limit`` requests of the last ``window`` seconds leaves it.

    The request is written before the earlier ones are counted, so of simultaneous requests
    on any number of servers at most ``limit`` go ahead; a refused one is removed again."""
    now = now or timezone.now()
    scope = f"rate.{scope}"[:32]
    address = client_address(request)
    row = Attempt.objects.create(scope=scope, account="", address=address, at=now)
    since = now - dt.timedelta(seconds=window)
    Attempt.objects.filter(scope=scope, at__lte=since).delete()
    times = list(Attempt.objects.filter(scope=scope, address=address, at__gt=since)
                 .exclude(pk=row.pk).order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return 0
    row.delete()
    if not times:  # a limit of none: nothing ever goes ahead
        return window
    return max(1, int((times[-1] - since).total_seconds()) + 1)
