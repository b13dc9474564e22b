"""Inserting many rows of one model: one INSERT statement run with ``executemany`` in batches.

Django's ``bulk_create`` compiles every value of every row into SQL, a few microseconds each:
seconds for 100,000 plots of 45 fields. Here a value of a plain type goes to the driver as it
is for text, number, boolean and foreign-key fields, every other value through its field's
``get_db_prep_save``, as ``bulk_create`` would. Like ``bulk_create`` it sends no signals; it
sets no primary keys (select them afterwards)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router

_PLAIN = (str, int, float, bool, type(None))
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField,
                 models.BooleanField, models.ForeignKey)


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]],
                *, batch_size: int = 2000) -> int:
    """Insert ``rows`` (read batch by batch), each the values of the fields ``names``
    (attribute names, such as ``actor_id``) in that order; return how many."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(n) for n in names]
    plain = [isinstance(f, _PLAIN_FIELDS) for f in fields]
    qn = connection.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted names; values bound

    last: list[Any] = [object()] * len(fields)  # the previous row's values and their SQL forms
    last_sql: list[Any] = [None] * len(fields)

    def prepared(row: Sequence[Any]) -> list[Any]:
        out = []
        for i, (f, p, v) in enumerate(zip(fields, plain, row, strict=True)):
            if p and type(v) in _PLAIN:
                out.append(v)
            elif v is last[i]:  # e.g. the one time stamp of every audit entry: converted once
                out.append(last_sql[i])
            else:
                last[i], last_sql[i] = v, f.get_db_prep_save(v, connection)
                out.append(last_sql[i])
        return out

    count, it = 0, iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(it, batch_size)):
            cursor.executemany(sql, [prepared(r) for r in batch])
            count += len(batch)
    return count


def insert_many(model: type[models.Model], objs: Sequence[models.Model], *,
                batch_size: int = 2000) -> int:
    """Insert the unsaved ``objs`` (primary key left to the database); return how many."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for f in auto:
            f.pre_save(obj, True)
    names = [f.attname for f in fields]
    return insert_rows(model, names, ([getattr(o, n) for n in names] for o in objs),
                       batch_size=batch_size)
