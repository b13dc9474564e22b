"""Inserting many rows of one model: one INSERT statement run with ``executemany`` in batches.

Django's ``bulk_create`` compiles every value of every row into SQL, a few microseconds each:
seconds for 100,000 plots of 45 fields. Here each batch is converted column by column: a column
of plain values (text, numbers, booleans, foreign keys) goes to the driver as it is, every other
value through its field's ``get_db_prep_save``, as ``bulk_create`` would, except a
:class:`JSONText`, which is JSON already. Like ``bulk_create`` it sends no signals; it sets no
primary keys (select them afterwards)."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

PLAIN = (str, int, float, bool, type(None))  # values a driver and JSON take as they are
_PLAIN_TYPES = frozenset(PLAIN)
_BY_VALUE = frozenset((decimal.Decimal, dt.date, dt.datetime, type(None)))
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField,
                 models.BooleanField, models.ForeignKey)


class JSONText(str):
    """A value of a JSON field encoded as JSON already (by the caller, who needs the text for
    something else too): written as it is, not encoded again."""


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]],
                *, batch_size: int = 2000) -> int:
    """Insert ``rows`` (read batch by batch), each the values of the fields ``names``
    (attribute names, such as ``actor_id``) in that order; return how many."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(n) for n in names]
    qn = connection.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted names; values bound
    converters = [_converter(f, connection) for f in fields]
    count, it = 0, iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(it, batch_size)):
            by_field = zip(*batch, strict=True)
            values = [convert(c) for convert, c in zip(converters, by_field, strict=True)]
            cursor.executemany(sql, list(zip(*values, strict=True)))
            count += len(batch)
    return count


def _converter(field: models.Field, connection: Any) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """The function that turns a column of ``field``'s values into what the driver takes."""
    plain = isinstance(field, _PLAIN_FIELDS)
    by_value: dict[Any, Any] = {}  # equal values convert alike (the one time stamp, None)

    def convert(v: Any) -> Any:
        if type(v) is JSONText:
            return str(v)
        if type(v) in _BY_VALUE and (type(v) is not decimal.Decimal or v.is_finite()):
            if v not in by_value:
                by_value[v] = field.get_db_prep_save(v, connection)
            return by_value[v]
        return field.get_db_prep_save(v, connection)

    def column(values: Sequence[Any]) -> Sequence[Any]:
        kinds = set(map(type, values))
        if plain and _PLAIN_TYPES.issuperset(kinds):
            return values
        if kinds == {JSONText}:
            return list(map(str, values))
        if _BY_VALUE.issuperset(kinds) and all(  # each distinct value converted once
                v.is_finite() for v in values if type(v) is decimal.Decimal):
            for v in set(values).difference(by_value):
                by_value[v] = field.get_db_prep_save(v, connection)
            return list(map(by_value.__getitem__, values))
        return [v if plain and type(v) in _PLAIN_TYPES else convert(v) for v in values]

    return column


def insert_columns(model: type[models.Model], columns: Mapping[str, Sequence[Any]], *,
                   batch_size: int = 2000) -> int:
    """Insert one row per position of ``columns`` (attribute name -> the values of every row,
    as :func:`object_columns` gives them); return how many."""
    return insert_rows(model, list(columns), zip(*columns.values(), strict=True),
                       batch_size=batch_size)


def object_columns(model: type[models.Model], objs: Sequence[models.Model]) -> dict[str, list]:
    """The values of the unsaved ``objs`` to insert, field by field (attribute name -> values;
    the primary key left to the database). Their ``auto_now``/``auto_now_add`` fields are set
    first, to one time for all (a date for a DateField)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    now = timezone.now()
    stamps = [(f.attname, now if isinstance(f, models.DateTimeField) else timezone.localdate(now))
              for f in auto]
    for obj in objs:
        for attname, stamp in stamps:
            setattr(obj, attname, stamp)
    return {f.attname: list(map(operator.attrgetter(f.attname), objs)) for f in fields}


def analyse(model: type[models.Model]) -> None:
    """Refresh SQLite's statistics of ``model``'s table after a bulk write that may have grown
    it a hundredfold: without them its planner takes any index of an equality (a plot's
    status) as selective, and sorted all 100,000 plots for a page of the OGC API. PostgreSQL's
    autovacuum analyses tables by itself."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
