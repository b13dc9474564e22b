"""``audit_record`` is called by every service that changes state, inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from json.encoder import encode_basestring_ascii
from typing import Any

from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from promzona.accounts.types import Actor
from promzona.bulk import PLAIN, JSONText, insert_rows

from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if type(value) in PLAIN:  # most values: answered before the isinstance checks
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()  # one instant, one text: compared as text
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): v if type(v) in PLAIN else _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):  # scalars inline: no call per coordinate
        return [v if type(v) in PLAIN else _jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` as JSON-safe data (no password, no auto timestamps)."""
    return {name: getattr(obj, attname) if is_json else _jsonable(getattr(obj, attname))
            for name, attname, is_json in _snapshot_fields(type(obj))
            if fields is None or name in fields}


@functools.cache
def _snapshot_fields(model: type[models.Model]) -> list[tuple[str, str, bool]]:
    """Name, attribute and whether the value is JSON already (a JSONField with the plain
    encoder: a GeoJSON geometry is not walked coordinate by coordinate)."""
    return [(f.name, f.attname, isinstance(f, models.JSONField) and f.encoder is None)
            for f in model._meta.concrete_fields
            if f.name != "password" and not getattr(f, "auto_now", False)]


def snapshot_texts(model: type[models.Model], columns: Mapping[str, Sequence[Any]]
                   ) -> list[JSONText]:
    """The :func:`snapshot` of each of many objects of ``model`` as the JSON text its audit
    entry stores (``json.dumps`` of it), made column by column from their values (attribute
    name -> the values of every object, as inserted, with the primary keys): common types are
    encoded a column at a time, a :class:`JSONText` (a geometry encoded for the insert) as it
    is."""
    fields = _snapshot_fields(model)
    template = "{" + ", ".join(f"{encode_basestring_ascii(name)}: %s" for name, _a, _j in fields)
    encoded = [_json_column(columns[attname], is_json) for _n, attname, is_json in fields]
    return [JSONText(template % row + "}") for row in zip(*encoded, strict=True)]


def _json_text(v: Any) -> str:
    return encode_basestring_ascii(_jsonable(v))


def _json_float(v: float) -> str:
    return float.__repr__(v) if math.isfinite(v) else json.dumps(v)


_ENCODERS: dict[type, Callable[[Any], str]] = {  # json.dumps(_jsonable(v)) for a type of v
    int: int.__repr__, float: _json_float, bool: {True: "true", False: "false"}.__getitem__,
    decimal.Decimal: _json_text, dt.date: _json_text, dt.datetime: _json_text, JSONText: str,
}


def _json_column(values: Sequence[Any], is_json: bool) -> Iterable[str]:
    """``json.dumps`` of each value as :func:`snapshot` gives it: a column of one type (and
    ``None``) through that type's encoder, others value by value."""
    kinds = set(map(type, values))
    nullable = type(None) in kinds
    kinds.discard(type(None))
    if not kinds:
        return ["null"] * len(values)
    if len(kinds) == 1:
        kind = kinds.pop()
        encode = _ENCODERS.get(kind) or (
            encode_basestring_ascii if issubclass(kind, str)  # text choices too
            else int.__repr__ if issubclass(kind, int) else None)
        if kind is float and not nullable and all(map(math.isfinite, values)):
            return map(float.__repr__, values)
        if encode is not None:
            return ["null" if v is None else encode(v) for v in values] if nullable \
                else map(encode, values)
    return [v if type(v) is JSONText else json.dumps(v if is_json else _jsonable(v))
            for v in values]


def related_snapshot(obj: models.Model) -> dict[str, list[Any]]:
    """The many-to-many fields of ``obj`` as sorted primary keys."""
    return {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True))
            for f in obj._meta.many_to_many}


def deletion_entries(obj: models.Model) -> list[tuple[str, models.Model, dict | None, dict | None]]:
    """The entries deleting ``obj`` owes, as :func:`audit_bulk_record` takes them:
    ``<model>.deleted`` for ``obj`` and for every row the deletion cascades to, and
    ``<model>.updated`` for every object that stays but loses many-to-many links with them
    (the field's keys before and after) or has a reference to them cleared (``SET_NULL``, the
    field's value before and after; the audit trail's own rows excepted). Raises
    ``ProtectedError``/``RestrictedError`` as the deletion would. Call it before deleting, in
    the same transaction."""
    collector = Collector(using=router.db_for_write(type(obj), instance=obj))
    collector.collect([obj])
    removed = [o for objs in collector.data.values() for o in objs]
    removed += [o for qs in collector.fast_deletes for o in qs]
    entries = [(f"{o._meta.model_name}.deleted", o, snapshot(o), None)
                for o in removed if not o._meta.auto_created]
    gone = {(type(o), o.pk) for o in removed}
    lost: dict[tuple[models.ManyToManyField, Any], set[Any]] = {}
    for link in (o for o in removed if o._meta.auto_created):
        field = next(f for f in link._meta.auto_created._meta.many_to_many
                     if f.remote_field.through is type(link))
        owner = getattr(link, link._meta.get_field(field.m2m_field_name()).attname)
        if (field.model, owner) not in gone:
            target = getattr(link, link._meta.get_field(field.m2m_reverse_field_name()).attname)
            lost.setdefault((field, owner), set()).add(target)
    for (field, value), batches in collector.field_updates.items():
        entries += [(f"{o._meta.model_name}.updated", o, {field.name: getattr(o, field.attname)},
                     {field.name: _jsonable(value)})
                    for batch in batches for o in batch
                    if (type(o), o.pk) not in gone and not isinstance(o, AuditEntry)]
    for (field, pk), targets in lost.items():
        owner = field.model.objects.get(pk=pk)
        before = sorted(getattr(owner, field.name).values_list("pk", flat=True))
        entries.append((f"{field.model._meta.model_name}.updated", owner, {field.name: before},
                        {field.name: [k for k in before if k not in targets]}))
    return entries


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


_ENTRY_FIELDS = ("at", "actor_id", "actor_label", "action", "object_type", "object_id",
                 "object_repr", "before", "after")


def _entry(*, user: Any, action: str, obj: models.Model, before: dict[str, Any] | None,
           after: dict[str, Any] | None, at: dt.datetime, safe: bool = False) -> tuple:
    """An audit entry's values, in the order of :data:`_ENTRY_FIELDS`; ``safe`` when
    ``before`` and ``after`` are JSON-safe already."""
    if not safe:
        before, after = _jsonable(before), _jsonable(after)
    return (at, user.pk if user else None, user.get_username() if user else "system", action,
            obj._meta.label_lower, str(obj.pk), str(obj)[:255], before, after)


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
    entry = AuditEntry(**dict(zip(_ENTRY_FIELDS, _entry(
        user=_user(actor), action=action, obj=obj, before=before, after=after,
        at=now or timezone.now()), strict=True)))
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
    the same entries :func:`audit_record` would write one by one. ``before`` and ``after`` are
    JSON-safe (as :func:`snapshot` and :func:`changed` give them, or plain values): they are
    not converted again. Inside the caller's transaction; returns how many were written."""
    _in_transaction("audit_bulk_record")
    user, at = _user(actor), now or timezone.now()
    rows = [_entry(user=user, action=a, obj=o, before=b, after=f, at=at, safe=True)
            for a, o, b, f in entries]
    return insert_rows(AuditEntry, _ENTRY_FIELDS, rows, batch_size=batch_size)
