"""Near misses: plots left out by one criterion, with what it would take, checked by the engine."""

from __future__ import annotations

import numpy as np
import pytest

from promzona.core.matching import MatchRequest, SourceIn, UpgradeIn, match
from promzona.core.matching.near import apply_patch, near_misses
from tests.core.test_matching import SOURCE, TODAY, index, line, plot, req

pytestmark = pytest.mark.nodb


def _refit(outcome, near):
    """Whether the near miss's plot is a result of the patched request."""
    again = MatchRequest.parse(apply_patch(outcome.request.to_json(), near.patch))
    return near.plot_id in match(outcome.index, again, today=TODAY).result_ids


def test_area_above_maximum_is_a_near_miss_with_the_maximum_that_fits():
    plots = [plot(1, 0, area_ha=6.2), plot(2, 1000, area_ha=9.0, rail_spur=False)]
    out = match(index(plots=plots), req(area_ha={"max": 5}), today=TODAY)
    assert out.results() == []
    [a, b] = near_misses(out)
    assert (a.plot_id, a.code) == (1, "area_large")
    assert a.reason == "area 6.20 ha is above the requested maximum 5.00 ha"
    assert a.remedy == "fits with a maximum area of 6.20 ha"
    assert a.patch == {"area_ha": {"max": 6.2}}
    assert _refit(out, a)
    assert b.plot_id == 2 and b.patch == {"area_ha": {"max": 9.0}}  # the larger change, later


def test_two_failing_criteria_or_the_status_alone_are_not_near_misses():
    plots = [plot(1, 0, area_ha=6.2, rail_spur=False),
             plot(2, 1000, status="reserved", rail_spur=True)]
    out = match(index(plots=plots), req(area_ha={"max": 5}, rail_spur=True), today=TODAY)
    assert sorted(out.excluded_ids) == [1, 2]
    assert near_misses(out) == []


def test_need_beyond_every_upgrade_says_the_shortfall_and_the_need_that_fits():
    out = match(index(), req(needs={"power_kw": 5000}), today=TODAY)
    near = near_misses(out)
    assert [n.plot_id for n in near] == [1, 2]
    # PS-2: 200 kW free + 1,000 kW planned = 1,200 kW at most.
    assert near[0].code == "gap_power"
    assert near[0].remedy == ("PS-2 lacks 3,800 kW even with every planned upgrade; fits with "
                              "power up to 1,200 kW")
    assert near[0].patch == {"needs": {"power_kw": 1200.0}}
    assert _refit(out, near[0])


def test_no_line_in_reach_offers_no_patch_and_names_the_zone_office():
    out = match(index(lines=[]), req(), today=TODAY)
    near = near_misses(out)
    assert [n.patch for n in near] == [None, None]
    assert near[0].remedy == "no power line within reach; ask the zone office about a connection"


def test_budget_near_miss_fits_with_the_cost_rounded_up():
    out = match(index(), req(budget_kzt=80_000_000), today=TODAY)
    [a, b] = near_misses(out)
    assert a.code == "budget" and a.patch == {"budget_kzt": 83_000_000.0}
    assert a.remedy == "fits with a budget of 83,000,000 KZT"
    assert _refit(out, a) and _refit(out, b)


def test_distance_and_rail_spur_near_misses_carry_their_patch():
    plots = [plot(1, 0, dist_rail_m=1234.0), plot(2, 1000, dist_road_m=None)]
    out = match(index(plots=plots), req(max_distance_m={"rail": 1000, "road": 800}),
                today=TODAY)
    by_plot = {n.plot_id: n for n in near_misses(out)}
    assert by_plot[1].patch == {"max_distance_m": {"rail": 1240.0}}
    assert by_plot[1].remedy == "fits with rail at most 1,240 m away"
    assert by_plot[2].code == "dist_road_unknown"
    assert by_plot[2].patch == {"max_distance_m": {"road": None}}
    assert all(_refit(out, n) for n in by_plot.values())
    out = match(index(), req(rail_spur=True), today=TODAY)
    assert {n.patch["rail_spur"] for n in near_misses(out)} == {False}


def test_a_patch_the_engine_would_not_honour_is_not_offered():
    """S1 (cheap line, 1,000 kW) and S2 (a line 9 km away, 1,200 kW) both lack 1,300 kW. With
    1,200 kW only S2 serves, and its connection breaks the budget: no near miss is promised."""
    s2 = SourceIn(id=11, code="PS-9", zone_id=1, kind="power", name="Far", capacity=1200,
                  committed=0, tariff_kzt=20)
    s1 = SourceIn(**{**SOURCE.__dict__, "committed": 0})
    ix = index(plots=[plot(1, 0)], sources=(s1, s2), upgrades=(),
               lines=[line(100), line(101, source=11, y=9100)])
    out = match(ix, req(needs={"power_kw": 1300}, budget_kzt=1_050_000_000), today=TODAY)
    assert [r.code for r in out.excluded()[0].reasons] == ["gap_power"]
    assert near_misses(out) == []
    # Without the budget the same change is honoured, and offered.
    out = match(ix, req(needs={"power_kw": 1300}), today=TODAY)
    [n] = near_misses(out)
    assert n.patch == {"needs": {"power_kw": 1200.0}} and _refit(out, n)


def test_only_visible_plots_are_near_misses_and_the_limit_holds():
    plots = [plot(i, i * 1000, area_ha=5.0 + i) for i in range(1, 6)]
    ix = index(plots=plots)
    visible = np.array([True, True, False, True, True])
    out = match(ix, req(area_ha={"max": 5}), today=TODAY, visible=visible)
    assert [n.plot_id for n in near_misses(out)] == [1, 2, 4, 5]
    assert [n.plot_id for n in near_misses(out, limit=2)] == [1, 2]


def test_sentences_are_translated_through_tr():
    out = match(index(plots=[plot(1, 0, area_ha=6.2)]), req(area_ha={"max": 5}), today=TODAY)
    ru = {"fits with a maximum area of {area} ha": "подходит при максимальной площади {area} га"}
    [n] = near_misses(out, tr=lambda s: ru.get(s, s), lang="ru")
    assert n.remedy == "подходит при максимальной площади 6,20 га"
    assert n.reason == "area 6,20 ha is above the requested maximum 5,00 ha"


def test_the_number_of_patches_checked_is_bounded(monkeypatch):
    """Each near miss with a patch costs a match; at most ``max_checks`` are run."""
    import promzona.core.matching.near as near_module

    plots = [plot(i, i * 1000, area_ha=5.0 + i / 10) for i in range(1, 8)]
    out = match(index(plots=plots), req(area_ha={"max": 5}), today=TODAY)
    calls = []

    def counting(*a, **kw):
        calls.append(1)
        return match(*a, **kw)

    monkeypatch.setattr(near_module, "match", counting)
    assert len(near_misses(out, limit=2, max_checks=3)) == 2 and len(calls) == 2
    calls.clear()
    assert len(near_misses(out, limit=10, max_checks=3)) == 3 and len(calls) == 3


@pytest.mark.parametrize("capacity, committed, upgrade, most", [
    (2.3, 1.3, 0.0, 1.0), (5.7, 5.4, 0.0, 0.3), (0.3, 0.2, 0.2, 0.3), (1000.3, 999.2, 0.0, 1.1)])
def test_the_need_that_fits_is_the_ledgers_exact_free_capacity(capacity, committed, upgrade,
                                                                 most):
    source = SourceIn(id=10, code="PS-2", zone_id=1, kind="power", name="S", capacity=capacity,
                      committed=committed, tariff_kzt=20)
    upgrades = [UpgradeIn(id=1, source_id=10, capacity_added=upgrade,
                          completion=TODAY)] if upgrade else []
    out = match(index(sources=[source], upgrades=upgrades), req(needs={"power_kw": 50}),
                today=TODAY)
    near = near_misses(out)
    assert near[0].patch == {"needs": {"power_kw": most}}  # floats: 0.999, 0.299, 1.099
    assert _refit(out, near[0])
