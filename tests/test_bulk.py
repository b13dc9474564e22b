"""``insert_columns`` / ``insert_rows`` store what ``bulk_create`` stores, value for value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from promzona.audit.models import AuditEntry
from promzona.bulk import JSONText, analyse, insert_columns, insert_rows, object_columns
from promzona.zones.models import Plot

GEOMETRY = {"type": "Polygon", "coordinates": [[[75.0, 46.8], [75.001, 46.8], [75.001, 46.801],
                                                [75.0, 46.8]]]}


_AUDIT_FIELDS = ("at", "actor_id", "actor_label", "action", "object_type", "object_id",
                 "object_repr", "before", "after")


def _plot(zone, code: str) -> Plot:
    return Plot(zone=zone, code=code, name_ru="Участок «Север»", status="published",
                declared_area_ha=Decimal("0.6125"), lease_price_kzt_ha_year=Decimal("1500.50"),
                deal_lease=True, hazard_class_max=3, available_from=dt.date(2027, 3, 1),
                geometry=GEOMETRY, min_lon=75.0, min_lat=46.8, max_lon=75.001, max_lat=46.801)


def _stored(code: str) -> dict:
    row = Plot.objects.filter(code=code).values().get()
    return {k: v for k, v in row.items() if k not in ("id", "code", "updated_at")}


@pytest.mark.django_db
def test_insert_columns_stores_what_bulk_create_stores(demo):
    Plot.objects.bulk_create([_plot(demo, "BULK-A")])
    plots = [_plot(demo, "BULK-B"), _plot(demo, "BULK-C")]
    assert insert_columns(Plot, object_columns(Plot, plots), batch_size=1) == 2
    assert _stored("BULK-B") == _stored("BULK-A") == _stored("BULK-C")
    assert _stored("BULK-B")["declared_area_ha"] == Decimal("0.6125")
    assert Plot.objects.get(code="BULK-B").updated_at is not None  # auto_now was applied


@pytest.mark.django_db
def test_insert_rows_json_encodes_every_json_value_even_plain_text():
    at = dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    rows = [(at, None, "system", "x.test", "zones.plot", str(i), "r", "text", [1, "два"])
            for i in range(3)]
    with transaction.atomic():
        assert insert_rows(AuditEntry, _AUDIT_FIELDS, rows, batch_size=2) == 3
    got = list(AuditEntry.objects.filter(action="x.test").order_by("object_id")
               .values_list("object_id", "at", "before", "after"))
    assert got == [(str(i), at, "text", [1, "два"]) for i in range(3)]


@pytest.mark.django_db
def test_insert_columns_of_an_invalid_row_fails_and_the_transaction_keeps_nothing(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_columns(Plot, object_columns(Plot, [_plot(demo, "BULK-D"), _plot(None, "BULK-E")]))
    assert not Plot.objects.filter(code__startswith="BULK-").exists()


@pytest.mark.django_db
def test_insert_rows_writes_a_json_text_as_it_is_not_encoded_again():
    at = dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    rows = [(at, None, "system", "x.json", "zones.plot", "1", "r", None,
             JSONText('{"name": "Север", "n": [1.5, null]}'))]
    with transaction.atomic():
        insert_rows(AuditEntry, _AUDIT_FIELDS, rows)
    assert AuditEntry.objects.get(action="x.json").after == {"name": "Север", "n": [1.5, None]}


@pytest.mark.django_db
def test_insert_columns_stores_columns_of_none_and_mixed_types_value_for_value(demo):
    plots = [_plot(demo, "BULK-F"), _plot(demo, "BULK-G")]
    plots[1].lease_price_kzt_ha_year, plots[1].available_from = None, None
    plots[1].dist_rail_m = None
    Plot.objects.bulk_create([_plot(demo, "BULK-H")])
    assert insert_columns(Plot, object_columns(Plot, plots)) == 2
    assert _stored("BULK-F") == _stored("BULK-H")
    g = _stored("BULK-G")
    assert (g["lease_price_kzt_ha_year"], g["available_from"], g["dist_rail_m"]) == (None,) * 3


@pytest.mark.django_db
def test_analyse_gives_sqlites_planner_the_plots_statistics(demo):
    if connection.vendor != "sqlite":
        analyse(Plot)  # PostgreSQL's autovacuum analyses: nothing to do, nothing refused
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        analyse(Plot)
        cursor.execute("SELECT tbl, stat FROM sqlite_stat1 WHERE tbl = 'zones_plot'")
        stats = cursor.fetchall()
    assert stats and all(int(stat.split()[0]) == Plot.objects.count() for _t, stat in stats)
