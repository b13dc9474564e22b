"""The build-plan solver on small instances solved by hand, its baselines, the marginal value of
budget, the explanations, and the refusal of bad instances."""

from __future__ import annotations

import dataclasses

import pytest

from promzona.core.errors import InputError
from promzona.core.optimise.plan import evaluate, parse_plan
from promzona.core.optimise.schedule import budget_marginals, plan_json, solve_plan

from .instances import REMOVE, changed

pytestmark = pytest.mark.nodb


def work(i, cost, duration=1, requires=()):
    return {"id": i, "cost": cost, "duration": duration, "requires": list(requires)}


def plot(i, value, requires=()):
    return {"id": i, "value": value, "requires": list(requires)}


def plan(periods, budget, works, plots, rate=0.0, carry=True):
    return {"periods": periods, "budget": budget, "discount_rate": rate, "carry_over": carry,
            "works": works, "plots": plots}


def solve(data, **kw):
    inst = parse_plan(data)
    return solve_plan(inst, time_limit=30, **kw), inst


CONTRACT = plan(6, [100] * 6, [work("W0", 50), work("W1", 80, 2, ["W0"]), work("W3", 30)],
                [plot("P1", 50, ["W1", "W3"]), plot("P2", 10), plot("P3", 40, ["W3"])], rate=0.08)


def test_contract_example_completes_w1_in_period_three():
    result, inst = solve(CONTRACT)
    out = plan_json(inst, result)
    assert out["status"] == "optimal"
    assert {r["work"]: (r["start"], r["complete"]) for r in out["schedule"]} == {
        "W0": (1, 1), "W3": (1, 1), "W1": (2, 3)}
    assert {p["plot"]: (p["unlocked"], p["value"]) for p in out["plots"]} == {
        "P1": (3, 42.866941), "P2": (1, 10.0), "P3": (1, 40.0)}
    assert out["objective"] == pytest.approx(50 / 1.08**2 + 10 + 40)


def test_cheapest_first_is_not_optimal_when_a_dear_work_unlocks_more():
    # 10 a period, no carry-over: the cheap works crowd out the valuable one in period 1
    result, _ = solve(plan(2, [10, 10], [work("A", 10), work("B", 4), work("C", 4)],
                           [plot("PA", 100, ["A"]), plot("PB", 5, ["B"]), plot("PC", 5, ["C"])],
                           rate=0.1, carry=False))
    assert result.starts == {"A": 1, "B": 2, "C": 2}
    assert result.objective == pytest.approx(100 + 10 / 1.1)
    cheapest, _ = result.baselines["cheapest_first"]
    assert cheapest == pytest.approx(10 + 100 / 1.1)
    assert result.baselines["cheapest_first"][1] == {"B": 1, "C": 1, "A": 2}


def test_best_value_per_tenge_is_not_optimal_on_a_knapsack():
    result, _ = solve(plan(1, [10], [work("X", 6), work("Y", 5), work("Z", 5)],
                           [plot("PX", 12, ["X"]), plot("PY", 9, ["Y"]), plot("PZ", 9, ["Z"])]))
    assert result.starts == {"Y": 1, "Z": 1}
    assert result.objective == 18
    assert result.baselines["best_value_per_cost"] == (12, {"X": 1})


def test_carry_over_lets_unspent_money_pay_a_dearer_work_later():
    data = plan(2, [5, 5], [work("W", 8)], [plot("P", 10, ["W"])], rate=0.1)
    with_carry, _ = solve(data)
    assert with_carry.starts == {"W": 2} and with_carry.objective == pytest.approx(10 / 1.1)
    without, _ = solve(dict(data, carry_over=False))
    assert without.starts == {} and without.objective == 0
    assert without.unlocked == {"P": None}


def test_a_work_starts_only_after_what_it_requires_is_complete():
    result, _ = solve(plan(5, [100] * 5, [work("W0", 1, 2), work("W1", 1, 1, ["W0"])],
                           [plot("P", 10, ["W1"])], rate=0.1))
    assert result.starts == {"W0": 1, "W1": 3}
    assert result.unlocked == {"P": 3}


def test_a_work_that_cannot_finish_by_the_horizon_is_never_started():
    result, _ = solve(plan(2, [100, 100], [work("LONG", 1, 3), work("W", 1)],
                           [plot("P", 10, ["LONG"]), plot("Q", 1, ["W"])], rate=0.1))
    assert result.starts == {"W": 1}
    assert result.unlocked == {"P": None, "Q": 1}


def test_works_no_plot_needs_are_left_out():
    result, _ = solve(plan(2, [100, 100], [work("USELESS", 0), work("W", 1)],
                           [plot("Q", 1, ["W"])], rate=0.1))
    assert result.starts == {"W": 1}


def test_marginal_budget_is_measured_by_solving_again():
    # the work costs 6 of a budget of 5 a period: one more unit in period 1 starts it at once
    result, inst = solve(plan(2, [5, 5], [work("W", 6)], [plot("P", 10, ["W"])], rate=0.1))
    assert result.objective == pytest.approx(10 / 1.1)
    marginals = budget_marginals(inst, result, step=1, time_limit=10)
    assert [m.period for m in marginals] == [1, 2]
    assert marginals[0].gain_per_unit == pytest.approx(10 - 10 / 1.1)
    assert marginals[1].gain_per_unit == 0
    assert all(m.status == "optimal" for m in marginals)
    out = plan_json(inst, dataclasses.replace(result, marginals=marginals))
    assert out["marginal_budget"][0]["gain_per_unit"] == pytest.approx(0.909091)


def test_each_scheduled_work_says_what_it_unlocks_and_when():
    result, inst = solve(CONTRACT)
    rows = {r["work"]: r["explanation"] for r in plan_json(inst, result)["schedule"]}
    assert rows == {"W0": "completes in period 1; needed by later works",
                    "W3": "completes in period 1 and unlocks P3",
                    "W1": "completes in period 3 and unlocks P1"}


def test_baselines_state_the_gain_of_the_optimum():
    result, inst = solve(plan(1, [10], [work("X", 6), work("Y", 5), work("Z", 5)],
                              [plot("PX", 12, ["X"]), plot("PY", 9, ["Y"]), plot("PZ", 9, ["Z"])]))
    base = {b["name"]: b for b in plan_json(inst, result)["baselines"]}
    assert base["best_value_per_cost"]["gain"] == 6
    assert base["best_value_per_cost"]["gain_pct"] == 50.0


def test_evaluate_values_a_plot_on_its_last_work():
    inst = parse_plan(CONTRACT)
    value = evaluate(inst, {"W0": 1, "W1": 2, "W3": 4})
    assert value.unlocked == {"P1": 4, "P2": 1, "P3": 4}


def _bad(path, value):
    return changed(CONTRACT, path, value)


@pytest.mark.parametrize(("data", "culprit"), [
    ("plan", "instance: must be an object"),
    (_bad(("budget",), [100] * 5), "budget: has 5 entries but periods is 6"),
    (_bad(("periods",), 0), "periods: must be a whole number from 1 to 240"),
    (_bad(("periods",), 2.5), "periods: must be a whole number"),
    (_bad(("budget", 2), -1), r"budget\[2\]: must be a number from 0"),
    (_bad(("discount_rate",), -0.1), "discount_rate: must be a number from 0 to 10"),
    (_bad(("carry_over",), "yes"), "carry_over: must be true or false"),
    (_bad(("works", 1, "requires"), ["W9"]), r"works\[1\] \(W1\).requires: unknown work \"W9\""),
    (_bad(("works", 1, "requires"), ["W1"]), "work 'W1' requires itself"),
    (_bad(("works", 0, "requires"), ["W1"]), "W0 → W1 → W0 require each other in a cycle"),
    (_bad(("works", 0, "cost"), -5), r"works\[0\] \(W0\).cost: must be a number from 0"),
    (_bad(("works", 0, "duration"), 0), "duration: must be a whole number from 1"),
    (_bad(("works", 0, "id"), "W1"), r"works\[1\].id: \"W1\" is repeated"),
    (_bad(("plots", 0, "requires"), ["NOPE"]), r"plots\[0\] \(P1\).requires: unknown work"),
    (_bad(("plots", 0, "value"), float("nan")), r"plots\[0\] \(P1\).value: must be a number"),
    (_bad(("plots", 0, "colour"), "red"), "unknown key \"colour\""),
    (_bad(("works",), REMOVE), "missing key \"works\""),
])
def test_bad_plan_is_refused_naming_the_culprit(data, culprit):
    with pytest.raises(InputError, match=culprit):
        parse_plan(data)


def test_a_long_cycle_is_named_whole():
    works = [work(f"W{i}", 1, 1, [f"W{(i + 1) % 4}"]) for i in range(4)]
    with pytest.raises(InputError, match="W0 → W1 → W2 → W3 → W0"):
        parse_plan(plan(2, [1, 1], works, []))


def test_a_baseline_work_that_unlocks_nothing_says_so_and_the_plan_drops_it():
    # cheapest first starts the cheap half of what P needs; the dear half never fits in time
    data = plan(2, [3, 3], [work("CHEAP", 2), work("DEAR", 5, 1), work("OTHER", 3)],
                [plot("P", 10, ["CHEAP", "DEAR"]), plot("Q", 4, ["OTHER"])], rate=0.1,
                carry=False)
    result, inst = solve(data)
    out = plan_json(inst, result)
    cheapest = next(b for b in out["baselines"] if b["name"] == "cheapest_first")
    row = next(r for r in cheapest["schedule"] if r["work"] == "CHEAP")
    assert row["code"] == "unlocks_nothing"
    assert row["explanation"] == ("completes in period 1 but unlocks nothing: the other works "
                                  "its plots need are not complete by the horizon")
    assert "CHEAP" not in {r["work"] for r in out["schedule"]}


def test_a_work_finished_before_its_partner_says_which_plots_it_helps_unlock():
    result, inst = solve(plan(3, [10, 10, 10], [work("A", 5), work("B", 10)],
                              [plot("P", 10, ["A", "B"])], rate=0.1))
    rows = {r["work"]: r for r in plan_json(inst, result)["schedule"]}
    assert (rows["A"]["start"], rows["B"]["start"]) == (1, 2)
    assert rows["A"]["code"] == "unlocks_with" and rows["A"]["helps"] == ["P"]
    assert rows["A"]["explanation"] == ("completes in period 1; with the works completing after "
                                        "it, it unlocks P")
    assert rows["B"]["explanation"] == "completes in period 2 and unlocks P"
