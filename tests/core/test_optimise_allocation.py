"""The allocation solver on small instances solved by hand, its baselines and its reasons."""

from __future__ import annotations

import pytest

from promzona.core.errors import InputError
from promzona.core.optimise.allocation import parse_allocation
from promzona.core.optimise.assign import solve_allocation
from promzona.core.optimise.checks import load_json
from promzona.core.optimise.synthetic import allocation_instance

from .instances import REMOVE, changed

pytestmark = pytest.mark.nodb


def solve(data, **kw):
    inst = parse_allocation(data)
    return solve_allocation(inst, time_limit=30, **kw), inst


def app(i, value, power=0.0, **extra):
    return {"id": i, "value": value, "needs": {"power_kw": power}, **extra}


def plots(n, source="PS", area=2.0):
    return [{"id": f"P{k}", "area_ha": area, "sources": {"power": source}} for k in range(1, n + 1)]


#: Free power 3200; five applications; greedy by value takes A (2600) and leaves value behind.
COMPETITION = {
    "applications": [
        app("D", 33.75, 400, submitted="2026-01-01T09:00:00+05:00"),
        app("E", 27.5, 300, submitted="2026-01-03T09:00:00+05:00"),
        app("A", 100.0, 2600, submitted="2026-01-06T09:00:00+05:00"),
        app("B", 67.5, 1400, submitted="2026-01-09T09:00:00+05:00"),
        app("C", 62.5, 1400, submitted="2026-01-12T09:00:00+05:00"),
    ],
    "plots": plots(5),
    "sources": [{"id": "PS", "kind": "power", "free": 3200}],
}


def test_contract_example_assigns_the_plot_in_range():
    result, inst = solve({
        "applications": [{"id": "A1", "value": 120.5, "area_ha": {"min": 1, "max": 5},
                          "needs": {"power_kw": 500, "water_m3_day": 20}, "eligible": ["P1", "P2"]}],
        "plots": [{"id": "P1", "area_ha": 2.0, "sources": {"power": "PS-1", "water": "VZ-1"}},
                  {"id": "P2", "area_ha": 9.0, "sources": {"power": "PS-1", "water": "VZ-1"}}],
        "sources": [{"id": "PS-1", "kind": "power", "free": 3000},
                    {"id": "VZ-1", "kind": "water", "free": 100}]})
    out = result.to_json(inst)
    assert out["status"] == "optimal" and out["objective"] == 120.5 and out["gap"] == 0.0
    assert out["assignments"] == [{"application": "A1", "plot": "P1", "value": 120.5}]
    assert out["unassigned"] == []


def test_capacity_competition_optimum_beats_greedy_and_first_come():
    result, _ = solve(COMPETITION)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(163.75)
    assert set(result.assignments) == {"B", "C", "D"}
    base = {b.name: b for b in result.baselines}
    assert base["greedy_value"].objective == pytest.approx(133.75)
    assert set(base["greedy_value"].assignments) == {"A", "D"}
    assert base["fcfs"].objective == pytest.approx(128.75)  # D, E, then B (A does not fit)
    assert set(base["fcfs"].assignments) == {"D", "E", "B"}


def test_plot_competition_optimum_swaps_what_greedy_takes():
    # greedy by value gives A1 its first choice P1, which A2 needed; the optimum moves A1 to P2
    result, _ = solve({"applications": [app("A1", 10, eligible=["P1", "P2"]),
                                        app("A2", 9, eligible=["P1"])],
                       "plots": plots(2), "sources": [{"id": "PS", "kind": "power", "free": 0}]})
    assert result.assignments == {"A1": "P2", "A2": "P1"}
    assert result.objective == 19
    assert {b.name: b.objective for b in result.baselines} == {"fcfs": 10, "greedy_value": 10}


def test_unassigned_application_names_the_source_and_the_applications_using_it():
    result, inst = solve(COMPETITION)
    reasons = {u["application"]: u for u in result.to_json(inst)["unassigned"]}
    assert set(reasons) == {"A", "E"}
    assert reasons["A"]["code"] == "competition"
    assert reasons["A"]["reason"] == ("capacity of PS exhausted by applications B (67.50), "
                                      "C (62.50), D (33.75): 0 kW left, 2,600 kW needed")


def test_plot_taken_by_another_application_is_named():
    result, inst = solve({"applications": [app("A1", 10, eligible=["P1"]),
                                           app("A2", 5, eligible=["P1"])],
                          "plots": plots(1), "sources": [{"id": "PS", "kind": "power", "free": 1}]})
    [u] = result.to_json(inst)["unassigned"]
    assert u == {"application": "A2", "code": "competition",
                 "reason": "its fitting plots went to other applications: P1 → A1"}


@pytest.mark.parametrize(("extra", "code", "words"), [
    ({"area_ha": {"min": 50, "max": 60}}, "area", "between 50.00 and 60.00 ha"),
    ({"area_ha": {"min": 50, "max": 60}, "eligible": ["P1"]}, "area_eligible", "eligible"),
    ({"eligible": []}, "no_eligible", "names no free plot"),
    ({"needs": {"gas_m3_h": 5}}, "no_source", "served by gas"),
    ({"needs": {"power_kw": 5000}}, "capacity_alone", "5,000 kW of power; the most any source"),
])
def test_application_that_fits_nowhere_gets_the_first_filter_that_failed(extra, code, words):
    data = {"applications": [{"id": "X", "value": 1, **extra}], "plots": plots(2),
            "sources": [{"id": "PS", "kind": "power", "free": 1000}]}
    result, inst = solve(data)
    [u] = result.to_json(inst)["unassigned"]
    assert u["code"] == code and words in u["reason"], u


def test_an_applications_own_sources_are_the_capacity_it_draws_on():
    """A and B each need 2,000 kW; P1's own source PS-1 has 2,500 free, so the plots alone fit
    one of them. B's own request is served on P2 by PS-2 (its dates pick that connection):
    both are assigned, every method agrees, and PS-1 is charged only A's need."""
    data = {"applications": [app("A", 10, 2000, eligible=["P1"], submitted="2026-01-01T09:00Z"),
                             app("B", 9, 2000, eligible=["P2"], submitted="2026-01-02T09:00Z",
                                 sources={"P2": {"power": "PS-2"}})],
            "plots": plots(2, source="PS-1"),
            "sources": [{"id": "PS-1", "kind": "power", "free": 2500},
                        {"id": "PS-2", "kind": "power", "free": 2000}]}
    result, inst = solve(data)
    assert result.assignments == {"A": "P1", "B": "P2"}
    assert {b.name: set(b.assignments) for b in result.baselines} == {
        "fcfs": {"A", "B"}, "greedy_value": {"A", "B"}}
    without, _ = solve(changed(data, ("applications", 1, "sources"), REMOVE))
    assert without.assignments == {"A": "P1"}
    assert without.to_json(parse_allocation(changed(data, ("applications", 1, "sources"), REMOVE))
                           )["unassigned"][0]["code"] == "competition"
    starved = solve(changed(data, ("sources", 1, "free"), 1000))
    assert starved[0].assignments == {"A": "P1"}
    reason = starved[0].to_json(starved[1])["unassigned"][0]
    assert reason["code"] == "capacity_alone" and "PS-2" in reason["reason"]


def test_need_of_zero_is_no_need_and_missing_eligible_means_every_plot():
    result, _ = solve({"applications": [{"id": "X", "value": 1,
                                         "needs": {"power_kw": 0, "gas_m3_h": 0}}],
                       "plots": [{"id": "P1", "area_ha": 1, "sources": {}}], "sources": []})
    assert result.assignments == {"X": "P1"}


def test_pinned_pair_is_kept_even_when_it_costs_value():
    data = dict(COMPETITION, pinned=[{"application": "A", "plot": "P3"}])
    result, _ = solve(data)
    assert result.assignments["A"] == "P3"
    assert result.objective == pytest.approx(133.75)  # A + D: what the pin leaves room for
    assert all(b.assignments.get("A") == "P3" for b in result.baselines)


def test_forbidden_pair_is_never_proposed_and_explains_itself():
    data = {"applications": [app("X", 1, eligible=["P1"])], "plots": plots(2),
            "sources": [{"id": "PS", "kind": "power", "free": 1}],
            "forbidden": [{"application": "X", "plot": "P1"}]}
    result, inst = solve(data)
    assert result.assignments == {}
    assert result.to_json(inst)["unassigned"][0]["code"] == "forbidden"


@pytest.mark.parametrize(("pins", "words"), [
    ([{"application": "A", "plot": "P1"}, {"application": "B", "plot": "P1"}], "pinned twice"),
    ([{"application": "A", "plot": "P1"}, {"application": "A", "plot": "P2"}], "pinned twice"),
    ([{"application": "A", "plot": "P1"}, {"application": "B", "plot": "P2"}],
     "the pinned pairs need 4000 of 'PS'"),
    ([{"application": "A", "plot": "P9"}], "unknown plot 'P9'"),
])
def test_impossible_pins_are_refused_naming_the_pin(pins, words):
    with pytest.raises(InputError, match=words):
        parse_allocation(dict(COMPETITION, pinned=pins))


def test_pin_on_a_plot_the_application_cannot_have_is_refused():
    data = dict(COMPETITION, plots=plots(5, area=2.0) + [{"id": "BIG", "area_ha": 30,
                                                            "sources": {}}],
                pinned=[{"application": "A", "plot": "BIG"}])
    with pytest.raises(InputError, match=r"pinned\[0\]: 'A' cannot have 'BIG': no power source"):
        parse_allocation(data)


def test_pinned_and_forbidden_pair_is_refused():
    with pytest.raises(InputError, match="both pinned and forbidden"):
        parse_allocation(dict(COMPETITION, pinned=[{"application": "A", "plot": "P1"}],
                              forbidden=[{"application": "A", "plot": "P1"}]))


GOOD = {"applications": [{"id": "A1", "value": 1}],
        "plots": [{"id": "P1", "area_ha": 1, "sources": {"power": "S"}}],
        "sources": [{"id": "S", "kind": "power", "free": 1}]}


def _with(path, value):
    return changed(GOOD, path, value)


@pytest.mark.parametrize(("data", "culprit"), [
    ([], "instance: must be an object"),
    (_with(("sources",), REMOVE), "missing key \"sources\""),
    (_with(("extra",), 1), "unknown key \"extra\""),
    (_with(("applications",), {}), "applications: must be a list"),
    (_with(("applications", 0, "value"), -1), r"applications\[0\] \(A1\).value: must be a number"),
    (_with(("applications", 0, "value"), True), r"applications\[0\] \(A1\).value"),
    (_with(("applications", 0, "value"), 1e300), "must be a number from 0 to 1e\\+12"),
    (_with(("applications", 0, "id"), ""), r"applications\[0\].id: must be a non-empty string"),
    (_with(("applications", 0, "id"), 7), r"applications\[0\].id"),
    (_with(("applications", 0, "area_ha"), {"min": 5, "max": 1}), "min 5 is larger than max 1"),
    (_with(("applications", 0, "area_ha"), {"min": 1}), "missing key \"max\""),
    (_with(("applications", 0, "needs"), {"power_mw": 1}), "unknown key \"power_mw\""),
    (_with(("applications", 0, "needs"), {"power_kw": -5}), "needs.power_kw: must be a number"),
    (_with(("applications", 0, "eligible"), ["P9"]), "eligible: unknown plot \"P9\""),
    (_with(("applications", 0, "eligible"), ["P1", "P1"]), "plot \"P1\" is listed twice"),
    (_with(("applications", 0, "submitted"), "yesterday"), "submitted: must be an ISO 8601"),
    (_with(("applications",), [{"id": "A1", "value": 1}, {"id": "A1", "value": 2}]),
     r"applications\[1\].id: \"A1\" is repeated"),
    (_with(("plots", 0, "area_ha"), 0), r"plots\[0\] \(P1\).area_ha: must be a number above 0"),
    (_with(("plots", 0, "sources"), {"power": "NOPE"}), "unknown source 'NOPE'"),
    (_with(("plots", 0, "sources"), {"water": "S"}), "source 'S' is of kind power, not water"),
    (_with(("plots", 0, "sources"), {"steam": "S"}), "unknown key \"steam\""),
    (_with(("applications", 0, "sources"), {"P9": {"power": "S"}}), "unknown key \"P9\""),
    (_with(("applications", 0, "sources"), {"P1": {"power": "NOPE"}}),
     r"applications\[0\] \(A1\).sources.P1.power: unknown source 'NOPE'"),
    (_with(("applications", 0, "sources"), {"P1": {"water": "S"}}),
     "source 'S' is of kind power, not water"),
    (_with(("applications", 0, "sources"), {"P1": "S"}), "sources.P1: must be an object"),
    (_with(("applications", 0, "sources"), ["P1"]), "sources: must be an object"),
    (_with(("sources", 0, "kind"), "steam"), "kind: must be one of power"),
    (_with(("sources", 0, "free"), -1), "free: must be a number"),
    (_with(("pinned",), [{"application": "A9", "plot": "P1"}]), "unknown application 'A9'"),
    (_with(("applications",), [{}] * 100_001), "has 100001 entries; at most 100000"),
])
def test_bad_instance_is_refused_naming_the_culprit(data, culprit):
    with pytest.raises(InputError, match=culprit):
        parse_allocation(data)


@pytest.mark.parametrize(("raw", "words"), [
    (b'{"a": NaN}', "NaN is not a number JSON allows"),
    (b'{"a": 1, "a": 2}', "appears twice"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"{", "not JSON"),
])
def test_hostile_json_is_refused(raw, words):
    with pytest.raises(InputError, match=words):
        load_json(raw)


def test_oversized_json_is_refused_before_parsing(monkeypatch):
    import promzona.core.optimise.checks as checks

    monkeypatch.setattr(checks, "MAX_INPUT_BYTES", 10)
    with pytest.raises(InputError, match="larger than"):
        checks.load_json(b"[" + b" " * 20 + b"]")


def test_time_limit_reports_the_gap_and_keeps_the_better_baseline():
    inst = parse_allocation(allocation_instance(applications=300, plots=1500, zones=1, seed=3))
    result = solve_allocation(inst, time_limit=0.01)
    assert result.status == "time_limit"
    assert result.gap is not None and result.gap > 0
    assert result.bound >= result.objective
    assert result.objective >= max(b.objective for b in result.baselines)
