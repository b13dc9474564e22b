"""The matching index read from the database: the same rows as the models, the same options as
a per-plot reference (on SQLite and, in CI, PostgreSQL: the drivers give dates and booleans
differently)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from promzona.core.matching import MatchIndex
from promzona.matching import selectors
from promzona.zones.models import Plot
from tests.core.test_matching_nearest import options, reference


@pytest.mark.parametrize("chunk", [selectors.CHUNK_ROWS, 7])
def test_demo_options_match_the_per_plot_reference(demo, chunk, monkeypatch):
    monkeypatch.setattr(selectors, "CHUNK_ROWS", chunk)
    data = selectors.index_data()
    cols = data["plots"]
    ix = MatchIndex(**data)
    expected = reference(ix, dict(zip(cols.id.tolist(), cols.geometry, strict=True)),
                         data["lines"])
    assert expected and options(ix) == expected


@pytest.fixture
def varied(demo):
    """Demo plots with what the demo leaves out: a date, a price of a deal not offered,
    unknown distances, no permitted sector."""
    a, b, c = Plot.objects.order_by("pk")[:3]
    Plot.objects.filter(pk=a.pk).update(available_from=dt.date(2031, 2, 28), deal_sale=False,
                                        sale_price_kzt=Decimal("123.45"))
    Plot.objects.filter(pk=b.pk).update(dist_rail_m=None, dist_airport_m=None, deal_sale=True,
                                        sale_price_kzt=Decimal("9876543.21"))
    c.permitted_sectors.clear()
    return demo


@pytest.mark.parametrize("chunk", [selectors.CHUNK_ROWS, 5, 1])
def test_rows_are_read_as_the_models_say(varied, chunk, monkeypatch):
    monkeypatch.setattr(selectors, "CHUNK_ROWS", chunk)  # rows read a few at a time agree too
    ix = selectors.build_index()
    plots = Plot.objects.prefetch_related("permitted_sectors").order_by("pk")
    assert ix.plot_id.tolist() == [p.pk for p in plots]
    for p, row in zip(plots, ix.plots, strict=True):
        assert (row.code, row.zone_id, row.status) == (p.code, p.zone_id, p.status)
        assert row.area_ha == float(p.declared_area_ha)
        assert row.permitted_sectors == tuple(sorted(s.pk for s in p.permitted_sectors.all()))
        assert row.hazard_class_max == p.hazard_class_max
        assert row.lease_price_kzt_ha_year == (
            float(p.lease_price_kzt_ha_year) if p.deal_lease else None)
        assert row.sale_price_kzt == (float(p.sale_price_kzt) if p.deal_sale else None)
        assert (row.free_use, row.rail_spur) == (p.deal_free_use, p.rail_spur)
        assert (row.dist_rail_m, row.dist_road_m, row.dist_airport_m) == (
            p.dist_rail_m, p.dist_road_m, p.dist_airport_m)
        assert row.available_from == p.available_from
    first = ix.plots[0]
    assert first.available_from == dt.date(2031, 2, 28) and first.sale_price_kzt is None
    assert ix.plots[1].sale_price_kzt == 9876543.21 and ix.plots[1].dist_rail_m is None
    assert ix.plots[2].permitted_sectors == ()


def test_lines_are_read_as_the_models_say(demo):
    from promzona.zones.models import UtilityLine

    links = {ln.id: ln for ln in selectors.index_data()["lines"]}
    for line in UtilityLine.objects.all():
        ln = links[line.pk]
        assert (ln.code, ln.kind, ln.status, ln.source_id, ln.lead_days) == (
            line.code, line.kind, line.status, line.source_id, line.connection_lead_days)
        assert ln.fixed_cost_kzt == float(line.connection_fixed_cost_kzt)
        assert ln.cost_per_km_kzt == float(line.connection_cost_per_km_kzt)
        assert ln.completion == (None if line.status == "existing" else line.planned_completion)


def test_a_build_gives_its_free_heap_back_to_the_system(demo, monkeypatch):
    calls = []
    monkeypatch.setattr(selectors, "_LIBC", type("Libc", (), {"malloc_trim": calls.append})())
    selectors.build_index()
    assert calls == [0]


def test_a_rebuild_parses_only_the_plots_whose_geometry_changed(demo):
    """A rebuild reuses the shapes of unchanged plots, and an edited plot's new geometry gives
    the same options as a build from nothing; a deleted plot's shape is let go."""
    import shapely

    selectors._SHAPES.clear()
    selectors.build_index()
    before = dict(selectors._SHAPES)
    moved, gone = Plot.objects.filter(zone=demo).order_by("pk")[:2]
    shape = shapely.geometry.shape(moved.geometry)
    Plot.objects.filter(pk=moved.pk).update(
        geometry=shapely.geometry.mapping(shapely.affinity.translate(shape, 0.002, 0.001)))
    Plot.objects.filter(pk=gone.pk).delete()
    reused = options(selectors.build_index())
    assert selectors._SHAPES.keys() == before.keys() - {gone.pk}
    same = [pk for pk in selectors._SHAPES if selectors._SHAPES[pk][2] is before[pk][2]]
    assert moved.pk not in same and len(same) == len(before) - 2
    selectors._SHAPES.clear()
    assert reused == options(selectors.build_index())
