"""The index's options (nearest line per plot and group) against a plain per-plot reference.

The reference measures every plot against every line of every group of its zone with
``shapely.distance`` and keeps the least distance within ``max_connection_m``, the lowest line
on a tie: what a straightforward loop (and the STRtree search the index used before) gives.
Both take their distances from the same GEOS call, so they must agree exactly: same plots,
groups and lines, the same distances to the last bit, hence the same costs and choices.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, Point, Polygon, box

from promzona.core.connections import LineLink
from promzona.core.matching import MatchIndex, MatchRequest, PlotIn, SourceIn, ZoneIn, match
from promzona.core.matching.synthetic import generate

pytestmark = pytest.mark.nodb
TODAY = dt.date(2027, 1, 1)


def reference(ix: MatchIndex, plots: list[PlotIn] | dict, lines: list[LineLink]) -> dict:
    """(plot position, group) → (distance, line position), one plot and one line at a time;
    ``plots``: the plots, or their geometries by id."""
    geometry = plots if isinstance(plots, dict) else {p.id: p.geometry for p in plots}
    shape = {ln.id: ln.geometry for ln in lines}
    out = {}
    for g, (s, status) in enumerate(ix.group_keys):
        members = [k for k, ln in enumerate(ix.lines)
                   if ix.source_pos[ln.source_id] == s and ln.status == status]
        zone = ix.zone_pos.get(ix.sources[s].zone_id)
        for i in range(ix.size):
            if ix.plot_zone[i] != zone:
                continue
            plot = geometry[int(ix.plot_id[i])]
            found = [(float(shapely.distance(plot, shape[ix.lines[k].id])), k) for k in members]
            found = [(d, k) for d, k in found if d <= ix.max_connection_m]  # NaN: empty
            if found:
                out[i, g] = min(found)
    return out


def options(ix: MatchIndex) -> dict:
    return {(int(i), int(g)): (float(d), int(k)) for p in ix.pairs.values()
            for i, g, k, d in zip(p["plot"], p["group"], p["line"], p["dist"], strict=True)}


def test_generated_zones_match_the_per_plot_reference_exactly():
    ds = generate(zones=3, plots_per_zone=150, sources_per_zone=6, lines_per_zone=40,
                  today=TODAY, seed=11)
    ix = MatchIndex(**ds.as_kwargs())
    expected = reference(ix, ds.plots, ds.lines)
    assert len(expected) > 1000
    assert options(ix) == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 2), st.integers(1, 40), st.integers(1, 6), st.integers(0, 40),
       st.integers(0, 2**32 - 1), st.sampled_from([300.0, 2_000.0, 10_000.0]))
def test_any_generated_dataset_matches_the_reference(zones, plots, sources, lines, seed, reach):
    ds = generate(zones=zones, plots_per_zone=plots, sources_per_zone=sources,
                  lines_per_zone=lines, today=TODAY, seed=seed)
    ix = MatchIndex(**ds.as_kwargs(), max_connection_m=reach)
    assert options(ix) == reference(ix, ds.plots, ds.lines)


ZONE = ZoneIn(id=1, name="Z")
SOURCE = SourceIn(id=10, code="S", zone_id=1, kind="power", name="S", capacity=1e6,
                  committed=0, tariff_kzt=1)


def link(lid: int, geometry, status: str = "existing") -> LineLink:
    return LineLink(id=lid, code=f"L{lid}", kind="power", status=status,
                    completion=None if status == "existing" else TODAY, fixed_cost_kzt=1000.0,
                    cost_per_km_kzt=1e6, lead_days=0, source_id=10, geometry=geometry)


def plot(pid: int, geometry) -> PlotIn:
    return PlotIn(id=pid, code=f"P{pid}", zone_id=1, status="published", area_ha=1.0,
                  geometry=geometry, lease_price_kzt_ha_year=1.0)


ODD_PLOTS = [
    plot(1, box(0, 0, 100, 100)),
    plot(2, Polygon([(300, 0), (700, 0), (700, 400), (300, 400)],
                    [[(400, 100), (600, 100), (600, 300), (400, 300)]])),  # with a hole
    plot(3, shapely.MultiPolygon([box(1000, 0, 1050, 50), box(3000, 3000, 3050, 3050)])),
    plot(4, Polygon()),  # empty: no options
    plot(5, box(9000, 9000, 9001, 9001)),
    plot(6, Polygon([(20_000, 0), (20_400, 0), (20_400, 400), (20_000, 400)],
                    [[(20_100, 100), (20_300, 100), (20_300, 300), (20_100, 300)]])),
]
ODD_LINES = [
    link(1, LineString([(-50, 150), (150, 150)])),  # 50 m above plot 1
    link(2, LineString([(-50, -50), (150, -50)])),  # 50 m below: a tie, line 1 wins
    link(3, MultiLineString([[(500, 150), (500, 250)], [(2000, 2000), (2100, 2000)]])),
    link(4, LineString([(3025, 2000), (3025, 2900)]), status="planned"),
    link(5, Point(2990, 3020), status="planned"),  # a line of one point
    link(6, box(8000, 8000, 8500, 8500), status="under_construction"),  # not linear
    link(7, LineString([(0, 50), (100, 50)]), status="under_construction"),  # crosses plot 1
    link(8, LineString()),  # empty
    link(9, LineString([(5000, 0), (5000, 10)]), status="planned"),
    # Plot 6's box centre is in its hole, on line 10 (50 m from the plot); line 11 is nearer
    # the plot (a corner) though farther from the centre: only the bounds' radius keeps it.
    link(10, LineString([(20_200, 150), (20_200, 250)])),
    link(11, LineString([(20_404, 404), (20_404, 404.5)])),
]


@pytest.mark.parametrize("reach", [10.0, 100.0, 1_000.0, 10_000.0])
def test_odd_geometries_match_the_reference(reach):
    ix = MatchIndex(zones=[ZONE], plots=ODD_PLOTS, sources=[SOURCE], upgrades=[],
                    lines=ODD_LINES, max_connection_m=reach)
    assert options(ix) == reference(ix, ODD_PLOTS, ODD_LINES)


def test_ties_go_to_the_lowest_line_and_crossing_lines_are_at_zero():
    ix = MatchIndex(zones=[ZONE], plots=ODD_PLOTS, sources=[SOURCE], upgrades=[],
                    lines=ODD_LINES)
    got = options(ix)
    existing = ix.group_keys.index((0, "existing"))
    building = ix.group_keys.index((0, "under_construction"))
    assert got[0, existing] == (50.0, ix.line_pos[1])  # line 2 is as near: the lower id serves
    assert got[0, building] == (0.0, ix.line_pos[7])
    assert got[1, existing] == (50.0, ix.line_pos[3])  # in plot 2's hole: 50 m from its edge
    assert not any(i == ix.plot_pos[4] for i, _ in got)  # the empty plot has no options
    assert got[ix.plot_pos[5], building] == (float(np.hypot(500, 500)), ix.line_pos[6])
    assert got[ix.plot_pos[6], existing] == (float(np.hypot(4, 4)), ix.line_pos[11])


def test_match_quotes_the_reference_option():
    """What a match quotes (line, source, distance, cost) is the reference's nearest line."""
    ds = generate(zones=2, plots_per_zone=60, sources_per_zone=5, lines_per_zone=30,
                  today=TODAY, seed=3)
    ds = dataclasses.replace(ds, plots=[dataclasses.replace(p, status="published",
                                                            hazard_class_max=1)
                                        for p in ds.plots])
    ix = MatchIndex(**ds.as_kwargs())
    expected = reference(ix, ds.plots, ds.lines)
    req = MatchRequest.parse({"sector": "C25", "needs": {"power_kw": 1}, "horizon_years": 10})
    rows = match(ix, req, today=TODAY).results()
    assert rows
    for row in rows:
        for u in row.utilities:
            i, k = ix.plot_pos[row.plot_id], ix.line_pos[u.line_id]
            d, line = expected[i, ix.group_keys.index((ix.source_pos[u.source_id],
                                                       ix.lines[k].status))]
            assert line == k and u.distance_m == round(d, 1)
            assert u.connection_cost_kzt == round(ix.line_fixed[k] + ix.line_perkm[k] * d / 1000, 2)
