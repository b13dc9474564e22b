"""Throttling of failed logins, per account and per address, counted in the database."""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.db import transaction
from django.utils import timezone

from .models import LoginFailure

WINDOW = dt.timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


def client_address(request) -> str | None:
    """The peer address (``REMOTE_ADDR``); a reverse proxy must set it, e.g. with uWSGI/gunicorn
    forwarding, rather than trusting a client-supplied header here."""
    raw = (request.META.get("REMOTE_ADDR") or "").strip() if request is not None else ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _wait_minutes(*, username: str, address: str | None, now: dt.datetime,
                  exclude: int) -> int:
    """Minutes to wait when the account or the address has used up its attempts, else 0."""
    recent = LoginFailure.objects.filter(at__gt=now - WINDOW).exclude(pk=exclude)
    for qs, limit in ((recent.filter(username=_key(username)), MAX_PER_ACCOUNT),
                      (recent.filter(address=address) if address else None, MAX_PER_ADDRESS)):
        if qs is None:
            continue
        times = list(qs.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            wait = times[-1] + WINDOW - now
            return max(1, int(wait.total_seconds() // 60) + 1)
    return 0


def attempt_start(*, username: str, address: str | None, now: dt.datetime | None = None) -> int:
    """Count a login attempt *before* its password is checked; return 0 to go ahead, or the
    minutes to wait when throttled.

    The attempt is written (and committed) first and the earlier ones counted after, so of
    simultaneous attempts at most the limit get through: each sees every attempt committed
    before its own. A throttled attempt is removed again, so hammering does not extend the wait.
    """
    now = now or timezone.now()
    row = LoginFailure.objects.create(username=_key(username), address=address, at=now)
    minutes = _wait_minutes(username=username, address=address, now=now, exclude=row.pk)
    if minutes:
        row.delete()
    return minutes


def attempt_failed(now: dt.datetime | None = None) -> None:
    """The attempt's row stays as the failure; failures older than the window are dropped."""
    LoginFailure.objects.filter(at__lt=(now or timezone.now()) - WINDOW).delete()


@transaction.atomic
def failures_clear(*, username: str) -> None:
    """A successful login forgets the account's failures (not the address's)."""
    LoginFailure.objects.filter(username=_key(username)).delete()
