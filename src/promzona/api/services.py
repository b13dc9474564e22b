"""Issue, check and revoke API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from promzona.audit.services import audit_record
from promzona.core.errors import InputError, NotFound

from .models import ApiToken

TOKEN_PREFIX = "pz_"  # noqa: S105 (a public prefix, not a secret)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: Any, user: Any, name: str = "", now: dt.datetime | None = None) -> str:
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
def token_revoke(*, actor: Any, token_id: int, now: dt.datetime | None = None) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound("No active token with that id.")
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoked", obj=token, now=token.revoked_at,
                 after={"revoked_at": token.revoked_at})
    return token


def token_user(key: str) -> Any | None:
    """The active user a token belongs to, or ``None``."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
