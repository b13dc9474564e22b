"""``snapshot_texts``: the JSON text of many snapshots, made column by column, is exactly the
text ``json.dumps`` makes of each ``snapshot`` (the audit entry an import writes per plot)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from promzona.audit.services import snapshot, snapshot_texts
from promzona.bulk import JSONText, object_columns
from promzona.zones.models import Plot

GEOMETRY = {"type": "Polygon", "coordinates": [[[75.0, 46.8], [75.001, 46.8], [75.001, 46.801],
                                                [75.0, 46.8]]]}


def _plots(zone) -> list[Plot]:
    """Plots whose columns mix types, ``None``, equal values written differently and text that
    JSON escapes."""
    odd = Plot(zone=zone, code="T-1", name_ru='Участок «Север» "1"\\\n\t\u2028',
               status=Plot.Status.PUBLISHED, declared_area_ha=Decimal("0.60"),
               computed_area_ha=Decimal("0.6"), lease_price_kzt_ha_year=Decimal("1500.50"),
               available_from=dt.date(2027, 3, 1), hazard_class_max=3, geometry=GEOMETRY,
               min_lon=-0.0, min_lat=46.8, max_lon=float("nan"), max_lat=float("inf"),
               dist_rail_m=12.5, rail_spur=True)
    plain = Plot(zone=zone, code="T-2", name_ru="B", status="draft",
                 declared_area_ha=Decimal("0.6"), computed_area_ha=None, geometry=GEOMETRY,
                 min_lon=0.0, min_lat=1, max_lon=2.5, max_lat=3.0, dist_rail_m=None)
    third = Plot(zone=zone, code="T-3", name_ru="", status=Plot.Status.DRAFT,
                 declared_area_ha=None, computed_area_ha=Decimal("1E+1"),
                 available_from=None, hazard_class_max=None, geometry={"type": "Polygon",
                 "coordinates": []}, min_lon=1e-300, min_lat=2.0, max_lon=3.0, max_lat=4.0)
    plots = [odd, plain, third]
    for pk, p in enumerate(plots, start=7):
        p.pk = pk
    return plots


def _columns(plots: list[Plot]) -> dict:
    columns = object_columns(Plot, plots)
    columns["id"] = [p.pk for p in plots]
    return columns


@pytest.mark.django_db
def test_snapshot_texts_of_mixed_columns_are_json_dumps_of_each_snapshot(demo):
    plots = _plots(demo)
    texts = snapshot_texts(Plot, _columns(plots))
    assert texts == [json.dumps(snapshot(p)) for p in plots]
    assert all(type(t) is JSONText for t in texts)
    assert '"declared_area_ha": "0.60"' in texts[0]  # not the "0.6" of an equal value
    assert '"min_lon": -0.0' in texts[0] and '"max_lon": NaN' in texts[0]


@pytest.mark.django_db
def test_snapshot_texts_take_a_json_text_as_it_is(demo):
    plots = _plots(demo)
    columns = _columns(plots)
    columns["geometry"] = [JSONText('{"type": "Point", "coordinates": [1.5, 2]}')] * 3
    [first, *_] = snapshot_texts(Plot, columns)
    assert json.loads(first)["geometry"] == {"type": "Point", "coordinates": [1.5, 2]}


@pytest.mark.django_db
def test_snapshot_texts_of_no_objects_are_none(demo):
    assert snapshot_texts(Plot, _columns([])) == []
