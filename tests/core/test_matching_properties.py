"""Property tests of the matcher on small generated zones."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from promzona.core.matching import MatchIndex, MatchRequest, match, sector_within
from promzona.core.matching.synthetic import SECTORS, generate

pytestmark = pytest.mark.nodb
TODAY = dt.date(2027, 1, 1)
SETTINGS = settings(max_examples=500, deadline=None)

datasets = st.builds(
    lambda z, p, s, n, seed: generate(zones=z, plots_per_zone=p, sources_per_zone=s,
                                      lines_per_zone=n, today=TODAY, seed=seed),
    st.integers(1, 2), st.integers(1, 15), st.integers(0, 6), st.integers(0, 30),
    st.integers(0, 2**32 - 1),
)
needs = st.dictionaries(
    st.sampled_from(("power_kw", "water_m3_day", "sewage_m3_day", "heat_gcal_h", "gas_m3_h")),
    st.floats(0, 5_000, allow_nan=False), max_size=2)


@st.composite
def requests(draw, budget=True):
    body = {"sector": draw(st.sampled_from(SECTORS + ("C25.11", "A01"))), "needs": draw(needs),
            "hazard_class": draw(st.sampled_from((2, 3, 4, 5, 5, 5))),
            "rail_spur": draw(st.sampled_from((False, False, False, True))),
            "horizon_years": draw(st.integers(1, 30))}
    lo = draw(st.none() | st.none() | st.floats(0, 4))
    hi = draw(st.none() | st.none() | st.floats(0, 10))
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    body["area_ha"] = {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
    md = draw(st.dictionaries(st.sampled_from(("rail", "road", "airport")), st.floats(0, 80_000),
                              max_size=1))
    if md:
        body["max_distance_m"] = md
    if budget and draw(st.booleans()):
        body["budget_kzt"] = draw(st.floats(0, 5e10))
    return MatchRequest.parse(body)


def _satisfies(ds, ix, req, row) -> None:
    p = next(q for q in ds.plots if q.id == row.plot_id)
    assert p.status == "published"
    assert req.area_min_ha is None or p.area_ha >= req.area_min_ha
    assert req.area_max_ha is None or p.area_ha <= req.area_max_ha
    assert not p.permitted_sectors or any(sector_within(req.sector, c) for c in p.permitted_sectors)
    assert req.hazard_class >= p.hazard_class_max
    assert p.rail_spur or not req.rail_spur
    for lim, d in ((req.max_dist_rail_m, p.dist_rail_m), (req.max_dist_road_m, p.dist_road_m),
                   (req.max_dist_airport_m, p.dist_airport_m)):
        assert lim is None or (d is not None and d <= lim)
    assert p.lease_price_kzt_ha_year is not None or p.sale_price_kzt is not None
    assert req.budget_kzt is None or row.cost_of_location_kzt <= req.budget_kzt + 0.01
    served = {u.kind: u for u in row.utilities}
    for kind, need in req.needs.items():
        u = served[kind]
        src = next(s for s in ds.sources if s.id == u.source_id)
        line = next(ln for ln in ds.lines if ln.id == u.line_id)
        assert src.kind == kind == line.kind and line.source_id == src.id
        ups = sum(x.capacity_added for x in ds.upgrades if x.source_id == src.id)
        assert src.capacity - src.committed + ups >= need
        d = shapely.distance(p.geometry, line.geometry)
        assert abs(d - u.distance_m) < 0.1 and d <= ix.max_connection_m
        assert u.ready_on >= TODAY
    assert row.start_on >= TODAY and row.time_to_start_days == (row.start_on - TODAY).days


@SETTINGS
@given(datasets, requests())
def test_every_result_satisfies_every_hard_constraint_and_sets_partition(ds, req):
    ix = MatchIndex(**ds.as_kwargs())
    out = match(ix, req, today=TODAY)
    rows = out.results()
    for row in rows:
        _satisfies(ds, ix, req, row)
    res, exc = set(out.result_ids), {e.plot_id for e in out.excluded()}
    assert not res & exc
    assert res | exc == {p.id for p in ds.plots}
    assert all(e.reasons for e in out.excluded())
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert all((a.score, -a.plot_id) >= (b.score, -b.plot_id) for a, b in zip(rows, rows[1:], strict=False))


@SETTINGS
@given(datasets, requests(), st.data())
def test_raising_a_source_capacity_never_removes_a_result(ds, req, data):
    assume(ds.sources)
    before = set(match(MatchIndex(**ds.as_kwargs()), req, today=TODAY).result_ids)
    i = data.draw(st.integers(0, len(ds.sources) - 1))
    extra = data.draw(st.floats(0, 50_000))
    raised = dataclasses.replace(ds.sources[i], capacity=ds.sources[i].capacity + extra)
    ds2 = dataclasses.replace(ds, sources=ds.sources[:i] + [raised] + ds.sources[i + 1:])
    after = set(match(MatchIndex(**ds2.as_kwargs()), req, today=TODAY).result_ids)
    assert before <= after


@SETTINGS
@given(datasets, requests(), st.data())
def test_tightening_a_request_never_adds_a_result(ds, req, data):
    ix = MatchIndex(**ds.as_kwargs())
    before = set(match(ix, req, today=TODAY).result_ids)
    how = data.draw(st.sampled_from(["need", "area", "hazard"]))
    if how == "need":
        kind = data.draw(st.sampled_from(["power", "water", "sewage", "heat", "gas"]))
        more = req.need(kind) + data.draw(st.floats(0, 20_000))
        tighter = dataclasses.replace(req, needs={**req.needs, kind: more})
    elif how == "area":
        lo = (req.area_min_ha or 0) + data.draw(st.floats(0, 3))
        hi = req.area_max_ha if req.area_max_ha is not None else data.draw(st.floats(lo, 12))
        tighter = dataclasses.replace(req, area_min_ha=min(lo, hi), area_max_ha=hi)
    else:
        tighter = dataclasses.replace(req, hazard_class=data.draw(st.integers(1, req.hazard_class)))
    after = set(match(ix, tighter, today=TODAY).result_ids)
    assert after <= before


@SETTINGS
@given(requests())
def test_request_json_round_trips(req):
    assert MatchRequest.parse(req.to_json()) == req
