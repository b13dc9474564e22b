"""Inserting many rows of one model: one INSERT statement run with ``executemany`` in batches.

Django's ``bulk_create`` compiles every value of every row into SQL, a few microseconds each:
seconds for 100,000 plots of 45 fields. Here a value of a plain type goes to the driver as it
is for text, number, boolean and foreign-key fields, every other value through its field's
``get_db_prep_save``, as ``bulk_create`` would. Like ``bulk_create`` it sends no signals; it
sets no primary keys (select them afterwards)."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

PLAIN = (str, int, float, bool, type(None))  # values a driver and JSON take as they are
_BY_VALUE = (decimal.Decimal, dt.date, dt.datetime)
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
    by_value: list[dict[Any, Any]] = [{} for _ in fields]  # equal values convert alike

    def convert(i: int, v: Any) -> Any:
        if v is last[i]:  # e.g. the one time stamp of every audit entry
            return last_sql[i]
        if type(v) in _BY_VALUE and (type(v) is not decimal.Decimal or v.is_finite()):
            # a Decimal, date or time stamp: converted once per value
            sql = by_value[i].get(v)
            if sql is None:
                sql = by_value[i][v] = fields[i].get_db_prep_save(v, connection)
        else:
            sql = fields[i].get_db_prep_save(v, connection)
        last[i], last_sql[i] = v, sql
        return sql

    def prepared(row: Sequence[Any]) -> list[Any]:
        return [v if plain[i] and type(v) in PLAIN else convert(i, v) for i, v in enumerate(row)]

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
    now = timezone.now()  # one time for the whole insert (a date for a DateField)
    stamps = [(f.attname, now if isinstance(f, models.DateTimeField) else timezone.localdate(now))
              for f in auto]
    for obj in objs:
        for attname, stamp in stamps:
            setattr(obj, attname, stamp)
    names = [f.attname for f in fields]
    return insert_rows(model, names, ([getattr(o, n) for n in names] for o in objs),
                       batch_size=batch_size)


def analyse(model: type[models.Model]) -> None:
    """Refresh SQLite's statistics of ``model``'s table after a bulk write that may have grown
    it a hundredfold: without them its planner takes any index of an equality (a plot's
    status) as selective, and sorted all 100,000 plots for a page of the OGC API. PostgreSQL's
    autovacuum analyses tables by itself."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
