"""Issue, check and revoke API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record
from promzona.core.errors import InputError, NotFound

from .models import ApiToken

TOKEN_PREFIX = "pz_"  # noqa: S105 (a public prefix, not a secret)
#: ``last_used_at`` is written at most this often per token.
TOUCH_EVERY = dt.timedelta(minutes=1)
#: The token (id, time) whose use the current request must still record.
_pending_touch: ContextVar[tuple[int, dt.datetime] | None] = ContextVar("pending_touch", default=None)
logger = logging.getLogger(__name__)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: Actor, user: Any, name: str = "", now: dt.datetime | None = None) -> str:
    """Issue a token for ``user`` and return it; it cannot be recovered later."""
    longest = ApiToken._meta.get_field("name").max_length
    if len(name) > longest:
        raise InputError(f"The token name is {len(name)} characters long; at most {longest} are allowed.",
                         field="name")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=_hash(key), created_at=now or timezone.now()
    )
    audit_record(actor=actor, action="api_token.created", obj=token, now=token.created_at,
                 after={"user": user.pk, "name": name})
    return key


@transaction.atomic
def token_revoke(*, actor: Actor, token_id: int, now: dt.datetime | None = None) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound("No active token with that id.")
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoked", obj=token, now=token.revoked_at,
                 after={"revoked_at": token.revoked_at})
    return token


def token_user(key: str, *, now: dt.datetime | None = None) -> Any | None:
    """The active user a token belongs to, or ``None``. Only reads: a stale ``last_used_at`` is
    noted here and written by :func:`token_touch_pending` once the answer has gone."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or token.last_used_at <= now - TOUCH_EVERY:
        _pending_touch.set((token.pk, now))
    return token.user


def token_touch_pending(**_signal: Any) -> None:
    """Record when the request's token was last used (the ``request_finished`` receiver).

    Runs after the response is sent, at most once a minute per token, and gives up at once
    instead of waiting when another transaction holds the database (SQLite's single writer
    during a long import): ``last_used_at`` is a hint, never worth a blocked worker.
    """
    pending = _pending_touch.get()
    if pending is None:
        return
    _pending_touch.set(None)
    pk, now = pending
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
    try:
        with _no_waiting():
            ApiToken.objects.filter(stale, pk=pk).update(last_used_at=now)
    except OperationalError:
        logger.info("API token %s: last_used_at not recorded, the database is busy", pk)


@contextmanager
def _no_waiting():
    """Fail instead of waiting for a lock held by another transaction."""
    if connection.vendor == "sqlite":
        timeout_ms = int(connection.settings_dict["OPTIONS"].get("timeout", 5) * 1000)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '100ms'")
            yield
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")
