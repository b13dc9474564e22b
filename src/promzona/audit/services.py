"""``audit_record`` is called by every service that changes state, inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from promzona.accounts.types import Actor

from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` as JSON-safe data (no password, no auto timestamps)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name == "password" or getattr(f, "auto_now", False):
            continue
        out[f.name] = _jsonable(getattr(obj, f.attname))
    return out


def related_snapshot(obj: models.Model) -> dict[str, list[Any]]:
    """The many-to-many fields of ``obj`` as sorted primary keys."""
    return {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True))
            for f in obj._meta.many_to_many}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _entry(*, user: Any, action: str, obj: models.Model, before: dict[str, Any] | None,
           after: dict[str, Any] | None, at: dt.datetime) -> AuditEntry:
    return AuditEntry(
        at=at, actor=user, actor_label=user.get_username() if user else "system", action=action,
        object_type=obj._meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:255],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def _in_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must be called inside the service's transaction")


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> AuditEntry:
    """Write one audit entry. Must run inside the caller's transaction."""
    _in_transaction("audit_record")
    entry = _entry(user=_user(actor), action=action, obj=obj, before=before, after=after,
                   at=now or timezone.now())
    entry.save()
    return entry


def audit_bulk_record(
    *,
    actor: Actor,
    entries: list[tuple[str, models.Model, dict[str, Any] | None, dict[str, Any] | None]],
    now: dt.datetime | None = None,
    batch_size: int = 2000,
) -> int:
    """Write one audit entry per ``(action, obj, before, after)`` of a bulk write, in batches;
    the same entries :func:`audit_record` would write one by one. Inside the caller's
    transaction; returns how many were written."""
    _in_transaction("audit_bulk_record")
    user, at = _user(actor), now or timezone.now()
    rows = [_entry(user=user, action=a, obj=o, before=b, after=f, at=at) for a, o, b, f in entries]
    AuditEntry.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
