"""Throttles counted in the database, so every app server sees the same counts.

Failed logins meet growing delays per account-and-address, per address and per account. An
address from which the account logged in (or reset its password) in the last 90 days is exempt
from the last two: a stranger guessing elsewhere cannot lock the owner out, and a password reset
always unlocks. Registrations, resent links, reset mails and invitations are rate-limited the
same way.

Each attempt is written (and committed) *before* its work and the earlier ones are counted
after, so of simultaneous attempts at most the allowance get through. A refused attempt is
removed again: hammering does not lengthen the wait.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import Attempt

#: Attempts older than this are forgotten.
WINDOW = dt.timedelta(hours=24)
#: An address stays known to an account this long after a login or a password reset from it.
KNOWN_FOR = dt.timedelta(days=90)
KNOWN = "login.known"


@dataclass(frozen=True)
class Limit:
    """``free`` attempts within :data:`WINDOW`, then a wait after the latest one that starts at
    ``first_wait`` and doubles with each further attempt, up to ``max_wait``."""

    free: int
    first_wait: dt.timedelta = dt.timedelta(minutes=1)
    max_wait: dt.timedelta = dt.timedelta(hours=1)

    def wait(self, times: list[dt.datetime], now: dt.datetime) -> dt.timedelta:
        """The wait left, given the earlier attempts' times, newest first."""
        over = len(times) - self.free
        if over < 0:
            return dt.timedelta(0)
        delay = min(self.first_wait * 2 ** min(over, 30), self.max_wait)
        return max(times[0] + delay - now, dt.timedelta(0))


#: Tiers: ``pair`` (this account from this address), ``address``, ``account``.
LOGIN = {"pair": Limit(5), "address": Limit(20), "account": Limit(50)}
REGISTER = {"address": Limit(5, dt.timedelta(minutes=15), dt.timedelta(hours=24)),
            "account": Limit(3, dt.timedelta(hours=1), dt.timedelta(hours=24))}
#: Resent verification links and password reset mails: per address and per email.
MAIL = {"address": Limit(10, dt.timedelta(minutes=5), dt.timedelta(hours=24)),
        "account": Limit(3, dt.timedelta(minutes=15), dt.timedelta(hours=24))}
#: Invitations and join requests by a logged-in user.
MEMBER = {"account": Limit(20, dt.timedelta(minutes=15), dt.timedelta(hours=24))}


def _ip(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def address_in(address, networks) -> bool:
    """Whether ``address`` lies in one of ``networks`` (``ipaddress`` networks)."""
    return any(address.version == net.version and address in net for net in networks)


def _trusted(address) -> bool:
    return address_in(address, settings.PROMZONA_TRUSTED_PROXIES)


def client_ip(request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The client's address: the peer (``REMOTE_ADDR``), or, when the peer is one of
    ``PROMZONA_TRUSTED_PROXIES``, the nearest address in ``X-Forwarded-For`` that is not a
    trusted proxy (what a client writes there itself is never reached)."""
    address = _ip(request.META.get("REMOTE_ADDR") or "") if request is not None else None
    forwarded = (request.META.get("HTTP_X_FORWARDED_FOR") or "").strip() if address else ""
    if forwarded and _trusted(address):
        for hop in reversed(forwarded.split(",")):
            address = _ip(hop)
            if address is None or not _trusted(address):
                break
    if address is not None and address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request) -> str | None:
    """The address that throttles count by (:func:`client_ip`); an IPv6 address stands for its
    /64 network (one subscriber's)."""
    address = client_ip(request)
    if address is None:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def account_key(name: str) -> str:
    return (name or "").strip().lower()[:254]


def _minutes(wait: dt.timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds() / 60))


def attempt_start(scope: str, *, account: str, address: str | None, limits: dict[str, Limit],
                  now: dt.datetime | None = None) -> int:
    """Record an attempt before its work; 0 to go ahead, or the minutes to wait."""
    now = now or timezone.now()
    account = account_key(account)
    row = Attempt.objects.create(scope=scope, account=account, address=address, at=now)
    recent = Attempt.objects.filter(scope=scope, at__gt=now - WINDOW).exclude(pk=row.pk)
    by_address = {"address": address} if address else {"address__isnull": True}
    tiers = {"pair": recent.filter(account=account, **by_address),
             "address": recent.filter(**by_address), "account": recent.filter(account=account)}
    wait = dt.timedelta(0)
    for tier, limit in limits.items():
        times = list(tiers[tier].order_by("-at").values_list("at", flat=True)[:limit.free + 31])
        wait = max(wait, limit.wait(times, now))
    if wait:
        row.delete()
        return _minutes(wait)
    return 0


def forget_old(now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    Attempt.objects.filter(at__lt=now - WINDOW).exclude(scope=KNOWN).delete()
    Attempt.objects.filter(scope=KNOWN, at__lt=now - KNOWN_FOR).delete()


def rate_limit(scope: str, *, account: str, address: str | None, limits: dict[str, Limit],
               now: dt.datetime | None = None) -> int:
    """An attempt that always counts (a registration, a mail sent): 0 or the minutes to wait."""
    forget_old(now)
    return attempt_start(scope, account=account, address=address, limits=limits, now=now)


# --- logins ---------------------------------------------------------------------------------


def _known(account: str, address: str | None, now: dt.datetime) -> bool:
    return address is not None and Attempt.objects.filter(
        scope=KNOWN, account=account_key(account), address=address,
        at__gt=now - KNOWN_FOR).exists()


def login_attempt_start(*, username: str, address: str | None,
                        now: dt.datetime | None = None) -> int:
    """Count a login *before* its password is checked: 0 to go ahead, or the minutes to wait."""
    now = now or timezone.now()
    limits = {"pair": LOGIN["pair"]} if _known(username, address, now) else LOGIN
    return attempt_start("login", account=username, address=address, limits=limits, now=now)


def login_failed(now: dt.datetime | None = None) -> None:
    """The attempt's row stays as the failure; old rows are dropped."""
    forget_old(now)


def _remember(account: str, address: str | None, now: dt.datetime) -> None:
    if address is None:
        return
    if not Attempt.objects.filter(scope=KNOWN, account=account, address=address).update(at=now):
        Attempt.objects.create(scope=KNOWN, account=account, address=address, at=now)


def login_succeeded(*, username: str, address: str | None,
                    now: dt.datetime | None = None) -> None:
    """Forget this account's failures from this address; the address becomes known to it."""
    account = account_key(username)
    Attempt.objects.filter(scope="login", account=account, address=address).delete()
    _remember(account, address, now or timezone.now())


def login_unlock(*, username: str, address: str | None, now: dt.datetime | None = None) -> None:
    """After a password reset: forget every failure of the account; the address becomes known."""
    account = account_key(username)
    Attempt.objects.filter(scope="login", account=account).delete()
    _remember(account, address, now or timezone.now())
