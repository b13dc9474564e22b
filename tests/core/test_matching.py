"""Matching engine on tiny fixtures with hand-computed expectations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from shapely import LineString, box

from promzona.core.connections import LineLink
from promzona.core.errors import InputError
from promzona.core.matching import (
    MatchIndex,
    MatchRequest,
    PlotIn,
    SourceIn,
    UpgradeIn,
    ZoneIn,
    match,
    serving,
)

pytestmark = pytest.mark.nodb
TODAY = dt.date(2027, 1, 1)
ZONE = ZoneIn(id=1, name="Z", priority_sectors=("C25",), anchor_sectors=("C24.44",),
              admin_procedure_days=30)


def plot(pid, y, **kw):
    base = dict(id=pid, code=f"P{pid}", zone_id=1, status="published", area_ha=1.0,
                geometry=box(0, y, 100, y + 100), lease_price_kzt_ha_year=100_000.0,
                hazard_class_max=3, dist_rail_m=1000.0, dist_road_m=500.0, dist_airport_m=20_000.0)
    base.update(kw)
    return PlotIn(**base)


def line(lid, status="existing", completion=None, y=200, source=10, kind="power", lead=90):
    return LineLink(id=lid, code=f"L{lid}", kind=kind, status=status, completion=completion,
                    fixed_cost_kzt=1_000_000, cost_per_km_kzt=10_000_000, lead_days=lead,
                    source_id=source, geometry=LineString([(0, y), (1000, y)]))


SOURCE = SourceIn(id=10, code="PS-2", zone_id=1, kind="power", name="Substation", capacity=1000,
                  committed=800, tariff_kzt=20)
UPGRADE = UpgradeIn(id=1, source_id=10, capacity_added=1000, completion=dt.date(2027, 6, 30))


def index(plots=None, sources=(SOURCE,), upgrades=(UPGRADE,), lines=None):
    return MatchIndex(
        zones=[ZONE],
        plots=plots if plots is not None else [plot(1, 0), plot(2, 1000, area_ha=2.0,
                                                               lease_price_kzt_ha_year=50_000.0)],
        sources=list(sources), upgrades=list(upgrades),
        lines=lines if lines is not None else [line(100)],
    )


def req(**kw):
    body = {"sector": "C25.11", "needs": {"power_kw": 100}, "horizon_years": 10}
    body.update(kw)
    return MatchRequest.parse(body)


def test_cost_and_time_to_start_match_hand_computation():
    out = match(index(), req(), today=TODAY)
    a, b = out.results()
    assert (a.plot_id, b.plot_id) == (1, 2)
    # A: land 1 ha × 100,000 × 10 = 1,000,000; connection 1,000,000 + 10,000,000 × 0.1 km;
    # bill 20 KZT/kWh × 100 kW × 4,000 h = 8,000,000 a year × 10.
    assert a.cost_breakdown["land_kzt"] == 1_000_000
    assert a.cost_breakdown["connections_kzt"] == 2_000_000
    assert a.cost_breakdown["utilities_per_year_kzt"] == 8_000_000
    assert a.cost_of_location_kzt == 83_000_000
    # B: 2 ha × 50,000 × 10; connection at 800 m = 1,000,000 + 8,000,000.
    assert b.cost_of_location_kzt == 1_000_000 + 9_000_000 + 80_000_000
    # Start: connection lead 90 days beats the 30-day procedure: 2027-04-01.
    assert a.time_to_start_days == 90 and a.start_on == dt.date(2027, 4, 1)
    assert a.gaps == [] and out.excluded() == []
    assert a.utilities[0].line_code == "L100" and a.utilities[0].distance_m == 100.0


def test_planned_upgrade_makes_plot_feasible_later_with_gap_sentence():
    out = match(index(), req(needs={"power_kw": 500}), today=TODAY)
    a = out.results()[0]
    assert a.start_on == dt.date(2027, 6, 30) + dt.timedelta(days=90)
    [gap] = a.gaps
    assert gap.text == "needs 500 kW; PS-2 has 200 kW free; upgrade +1,000 kW planned for June 2027"
    assert gap.resolved_on == dt.date(2027, 9, 28)


def test_need_beyond_every_plan_excludes_with_gap_reason():
    out = match(index(), req(needs={"power_kw": 5000}), today=TODAY)
    assert out.results() == []
    ex = out.excluded()
    assert [e.plot_id for e in ex] == [1, 2]
    assert ex[0].reasons[0].code == "gap_power"
    assert ex[0].reasons[0].text == ("needs 5,000 kW; PS-2 has 200 kW free; "
                                     "upgrade +1,000 kW planned for June 2027")


def test_no_line_in_reach_is_a_gap():
    out = match(index(lines=[]), req(), today=TODAY)
    assert out.results() == []
    assert out.excluded()[0].reasons[0].text == "no power line within 10 km"


def test_under_construction_line_sets_readiness():
    lines = [line(100, y=5000), line(101, status="under_construction",
                                     completion=dt.date(2027, 3, 1), y=150, lead=30)]
    a = match(index(lines=lines), req(), today=TODAY).results()[0]
    # Existing line 4,900 m away is ready 2027-04-01; the one being built 50 m away is ready
    # 2027-03-31 (completion + 30 days): earliest wins.
    assert a.utilities[0].line_code == "L101"
    assert a.start_on == dt.date(2027, 3, 31)
    assert a.gaps[0].text == "line L101 is under construction, completion March 1, 2027"
    assert a.gaps[0].resolved_on == dt.date(2027, 3, 31)


def test_hard_constraints_give_reasons():
    plots = [
        plot(1, 0, status="reserved"),
        plot(2, 1000, area_ha=0.5),
        plot(3, 2000, permitted_sectors=("H49",)),
        plot(4, 3000, hazard_class_max=4),
        plot(5, 4000, dist_rail_m=None),
        plot(6, 5000, lease_price_kzt_ha_year=None),
        plot(7, 6000, permitted_sectors=("C25",), hazard_class_max=2, rail_spur=True),
    ]
    lines = [LineLink(id=100, code="L", kind="power", status="existing", completion=None,
                      fixed_cost_kzt=0, cost_per_km_kzt=0, lead_days=0, source_id=10,
                      geometry=LineString([(-10, 0), (-10, 8000)]))]
    r = req(area_ha={"min": 0.8}, hazard_class=3, max_distance_m={"rail": 5000})
    out = match(index(plots=plots, lines=lines), r, today=TODAY)
    assert out.result_ids == [7]
    codes = {e.plot_id: [x.code for x in e.reasons] for e in out.excluded()}
    assert codes == {1: ["status"], 2: ["area_small"], 3: ["sector"], 4: ["hazard"],
                     5: ["dist_rail_unknown"], 6: ["no_price"]}


def test_budget_excludes_and_sale_is_taken_when_cheaper():
    plots = [plot(1, 0, sale_price_kzt=500_000.0), plot(2, 1000)]
    out = match(index(plots=plots), req(budget_kzt=82_600_000), today=TODAY)
    [a] = out.results()
    assert a.plot_id == 1 and a.cost_breakdown["land_deal"] == "purchase"
    assert a.cost_of_location_kzt == 500_000 + 2_000_000 + 80_000_000
    assert [x.code for x in out.excluded()[0].reasons] == ["budget"]


def test_free_use_incentive_for_priority_sector_only():
    plots = [plot(1, 0, free_use=True)]
    a = match(index(plots=plots), req(), today=TODAY).results()[0]
    assert a.cost_breakdown["incentives_kzt"] == -500_000  # 5 years × 1 ha × 100,000
    b = match(index(plots=plots), req(sector="H49"), today=TODAY).results()[0]
    assert b.cost_breakdown["incentives_kzt"] == 0


def test_ranking_by_score_and_ties_by_plot_id():
    # Two identical plots at the same distance: equal scores, lower id first.
    plots = [plot(5, 300), plot(3, 0)]
    lines = [line(100, y=200)]
    out = match(index(plots=plots, lines=lines), req(), today=TODAY)
    rows = out.results()
    assert [r.plot_id for r in rows] == [3, 5]
    assert rows[0].score == rows[1].score
    # Cost only: the cheaper (nearer) plot wins; weights change the order.
    out2 = match(index(), req(weights={"cost": 1, "time": 0, "logistics": 0, "sector": 0,
                                       "anchor": 0, "area": 0}), today=TODAY)
    assert out2.result_ids == [1, 2]
    assert out2.results()[0].score == 100.0
    # Area fit only, min 2 ha: plot 2 (2 ha) fits exactly, plot 1 is too small.
    out3 = match(index(), req(area_ha={"min": 1}, weights={"area": 1, "cost": 0, "time": 0,
                                                           "logistics": 0, "sector": 0,
                                                           "anchor": 0}), today=TODAY)
    assert out3.result_ids == [1, 2] and [r.score for r in out3.results()] == [100.0, 50.0]


def test_start_by_is_explained_not_excluded():
    a = match(index(), req(start_by="2027-02-01"), today=TODAY).results()[0]
    assert "Later than the desired start February 1, 2027" in a.explanation


@pytest.mark.parametrize("body", [
    [], {"sector": 25}, {"sector": "C25; DROP TABLE"}, {"sector": "C25", "needs": {"x": 1}},
    {"sector": "C25", "needs": {"power_kw": -1}}, {"sector": "C25", "needs": {"power_kw": 1e30}},
    {"sector": "C25", "area_ha": {"min": 5, "max": 1}}, {"sector": "C25", "hazard_class": 0},
    {"sector": "C25", "hazard_class": True}, {"sector": "C25", "start_by": "tomorrow"},
    {"sector": "C25", "horizon_years": 1000}, {"sector": "C25", "weights": {"cost": 0, "time": 0,
     "logistics": 0, "sector": 0, "anchor": 0, "area": 0}}, {"sector": "C25", "extra": 1},
    {"sector": "C25", "needs": {"power_kw": float("nan")}}, {"sector": "C" * 10_000},
    {"sector": "C25", "assumptions": {"operating_hours_per_year": 9000}},
    {"sector": "C25", "assumptions": {"load_factor": 1}}, {"sector": "C25", "assumptions": []},
    {"sector": "C25", "area_ha": []}, {"sector": "C25", "needs": 0}, {"sector": "C25", "weights": ""},
])
def test_bad_request_raises_input_error(body):
    with pytest.raises(InputError):
        MatchRequest.parse(body)


def test_request_round_trips():
    r = req(area_ha={"min": 1, "max": 5}, max_distance_m={"road": 100}, budget_kzt=1e9,
            start_by="2027-06-01", rail_spur=True, assumptions={"working_days_per_year": 300})
    assert MatchRequest.parse(r.to_json()) == r
    assert r.model_copy(update={"hazard_class": 2}) != r


def test_faster_but_dearer_option_is_explained():
    # Cheapest: the planned line 50 m away (ready 2027-06-30 + 30 days); faster: the existing
    # line 900 m away, ready today + 90 days, connection 1,000,000 + 9,000,000.
    lines = [line(100, y=1000), line(101, status="planned", completion=dt.date(2027, 6, 30),
                                     y=150, lead=30)]
    a = match(index(plots=[plot(1, 0)], lines=lines), req(), today=TODAY).results()[0]
    assert a.utilities[0].line_code == "L101" and a.start_on == dt.date(2027, 7, 30)
    assert ("Faster power: line L100 (existing) ready April 1, 2027, connection 10,000,000 KZT — "
            "dearer over the horizon") in a.explanation


def _two_options():
    """Plot 1's power options: L101 planned 50 m away (cheapest, ready July 30, 2027) and L100
    existing 900 m away (ready 2027-04-01, connection 8,000,000 KZT dearer)."""
    lines = [line(100, y=1000), line(101, status="planned", completion=dt.date(2027, 6, 30),
                                     y=150, lead=30)]
    return index(plots=[plot(1, 0)], lines=lines)


def test_start_date_met_by_a_dearer_option_chooses_it_and_says_the_trade_off():
    a = match(_two_options(), req(start_by="2027-05-01"), today=TODAY).results()[0]
    assert a.utilities[0].line_code == "L100" and a.start_on == dt.date(2027, 4, 1)
    assert ("The power connection is ready by the desired start May 1, 2027: 8,500,000 KZT dearer "
            "over the horizon than line L101 (planned), ready July 30, 2027") in a.explanation
    assert not any("Later than" in x for x in a.explanation)


def test_start_date_met_by_the_cheapest_option_keeps_it():
    a = match(_two_options(), req(start_by="2027-08-01"), today=TODAY).results()[0]
    assert a.utilities[0].line_code == "L101"


def test_start_date_no_option_meets_chooses_the_earliest_and_says_what_it_costs():
    a = match(_two_options(), req(start_by="2027-02-01"), today=TODAY).results()[0]
    assert a.utilities[0].line_code == "L100" and a.start_on == dt.date(2027, 4, 1)
    assert ("No power option is ready by the desired start February 1, 2027, so the earliest serves; "
            "line L101 (planned) would cost 8,500,000 KZT less over the horizon, ready July 30, 2027"
            ) in a.explanation
    assert "Later than the desired start February 1, 2027" in a.explanation


def test_serving_one_plot_is_the_choice_the_match_quotes():
    ix = _two_options()
    for start_by in (None, dt.date(2027, 5, 1), dt.date(2027, 2, 1)):
        body = {"start_by": start_by.isoformat()} if start_by else {}
        quoted = match(ix, req(**body), today=TODAY).results()[0].utilities[0]
        assert serving(ix, plot_id=1, needs={"power": 100.0}, today=TODAY,
                       start_by=start_by)["power"] == quoted


def test_assumptions_in_the_request_change_the_bill():
    a = match(index(), req(assumptions={"operating_hours_per_year": 2000}), today=TODAY).results()[0]
    assert a.cost_breakdown["utilities_per_year_kzt"] == 20 * 100 * 2000
    assert a.cost_of_location_kzt == 1_000_000 + 2_000_000 + 40_000_000


def test_score_is_the_documented_weighted_mean():
    import math

    [a] = match(index(plots=[plot(1, 0)]), req(), today=TODAY).results()
    logistics = (0.5 * math.exp(-1000 / 5000) + 0.3 * math.exp(-500 / 5000)
                 + 0.2 * math.exp(-20_000 / 50_000))
    expected = {"cost": 1.0, "time": 365 / (365 + 90), "logistics": logistics,
                "sector": 1.0,  # C25 is a priority sector of the zone
                "anchor": 0.5,  # anchor C24.44: same section (C), another division
                "area": 1.0}
    assert a.criteria == pytest.approx(expected, abs=1e-4)
    w = {"cost": 0.35, "time": 0.25, "logistics": 0.15, "sector": 0.10, "anchor": 0.05, "area": 0.10}
    assert a.score == pytest.approx(100 * sum(w[k] * expected[k] for k in w), abs=1e-3)


@pytest.mark.parametrize("lang,expected", [
    (None, "1,234,567.80"), ("en", "1,234,567.80"), ("ru", "1\xa0234\xa0567,80"),
    ("kk", "1\xa0234\xa0567,80"),
])
def test_numbers_in_sentences_follow_the_language(lang, expected):
    from promzona.core.matching.text import fmt_num, texts

    T = texts(lang=lang) if lang else None
    assert fmt_num(1234567.8, 2, T) == expected
    assert fmt_num(None, 2, T) == "?"


def test_reasons_and_gaps_speak_the_language_with_labels_not_codes():
    """A reserved plot reads "reserved for another project", never "status: reserved"; units,
    numbers and dates are the language's."""
    plots = [plot(1, 0), plot(2, 1, status="reserved")]
    out = match(index(plots=plots), req(needs={"power_kw": 900_000}), today=TODAY)
    reasons = {e.plot_id: [r.text for r in e.reasons] for e in out.excluded(lang="ru")}
    assert reasons[2][0] == "the plot is reserved for another project"
    assert not any("reserved)" in t or "status" in t for t in reasons[2])
    gap = next(t for t in reasons[1] if "needs" in t)
    assert "900\xa0000 kW" in gap  # tr=str: English units, Russian digits


@pytest.mark.parametrize("body, field, words", [
    ({"sector": "C25", "needs": {"power_kW": 1}}, "needs", "'needs' must be an object with any of"),
    ({"sector": "C25", "needs": {"power_kw": "5"}}, "needs.power_kw", "from 0 to 1,000,000,000"),
    ({"sector": "C25", "needs": None}, "needs", "'needs' must be an object"),
    ({"sector": "C25", "rail_spur": "yes"}, "rail_spur", "true or false"),
    ({"sector": "C25", "rail_spur": 1}, "rail_spur", "true or false"),
    ({"sector": "C25", "hazard_class": 4.0}, "hazard_class", "1 (most hazardous) to 5"),
    ({"sector": "C25", "horizon_years": 51}, "horizon_years", "an integer from 1 to 50"),
    ({"sector": "C25", "budget_kzt": 1e17}, "budget_kzt", "from 0 to 10,000,000,000,000,000"),
    ({"sector": "C25", "start_by": "2027-02-30"}, "start_by", "YYYY-MM-DD"),
    ({"sector": "C25", "start_by": 20270601}, "start_by", "YYYY-MM-DD"),
    ({"sector": "C25", "max_distance_m": {"rail": -1}}, "max_distance_m.rail", "from 0 to"),
    ({"sector": "C25", "area_ha": {"min": 5, "max": 1}}, "area_ha",
     "'area_ha.min' is larger than 'area_ha.max'"),
    ({"needs": {}}, "sector", "OKED code"),
    ({"sector": "C25", "x" * 5000: 1}, None, "Unknown field(s): " + "x" * 100 + "."),
])
def test_refusal_names_the_field_with_a_template_the_edge_translates(body, field, words):
    with pytest.raises(InputError) as caught:
        MatchRequest.parse(body)
    exc = caught.value
    assert exc.field == field and words in exc.message
    assert exc.translated({exc.template: "[tr] " + exc.template}.get) == "[tr] " + exc.message


def test_sector_is_read_in_capitals_and_defaults_are_the_documented_ones():
    r = MatchRequest.parse({"sector": " c25.11 "})
    assert r.sector == "C25.11" and r.hazard_class == 5 and r.horizon_years == 10
    assert r.weights.model_dump() == {"cost": 0.35, "time": 0.25, "logistics": 0.15,
                                      "sector": 0.1, "anchor": 0.05, "area": 0.1}
    assert r.to_json() == {"sector": "C25.11"}


# Capacity and commitment whose difference binary floating point gets wrong (2.3 − 1.3 is
# 0.9999999999999998); the ledger keeps exact thousandths, so the difference is the need itself.
LEDGER_CASES = [(2.3, 1.3), (0.3, 0.2), (5.7, 5.4), (3.3, 1.1), (1000.3, 999.2), (7.1, 7.0)]


def _ledger_free(capacity: float, committed: float) -> float:
    return float(Decimal(str(capacity)) - Decimal(str(committed)))


@pytest.mark.parametrize("capacity, committed", LEDGER_CASES)
def test_free_capacity_equal_to_the_need_serves_now_as_the_ledger_says(capacity, committed):
    need = _ledger_free(capacity, committed)
    assert capacity - committed != need  # the case does go wrong in floats
    source = SourceIn(id=10, code="PS-2", zone_id=1, kind="power", name="S", capacity=capacity,
                      committed=committed, tariff_kzt=20)
    a = match(index(sources=[source], upgrades=[]), req(needs={"power_kw": need}),
              today=TODAY).results()[0]
    assert a.gaps == [] and a.utilities[0].free_now == need


@pytest.mark.parametrize("capacity, committed", LEDGER_CASES)
def test_an_upgrade_closing_the_gap_exactly_serves_from_its_completion(capacity, committed):
    need = _ledger_free(capacity, committed) + 0.5  # 0.5: exact in binary, the upgrade's share
    source = SourceIn(id=10, code="PS-2", zone_id=1, kind="power", name="S", capacity=capacity,
                      committed=committed, tariff_kzt=20)
    upgrade = UpgradeIn(id=1, source_id=10, capacity_added=0.5, completion=dt.date(2027, 6, 30))
    a = match(index(sources=[source], upgrades=[upgrade]), req(needs={"power_kw": need}),
              today=TODAY).results()[0]
    assert [g.resolved_on for g in a.gaps] == [dt.date(2027, 6, 30) + dt.timedelta(days=90)]
