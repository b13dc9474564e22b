"""Property tests: every answer is feasible (re-checked here, independently of the solver's own
code), never worse than a baseline, and on tiny instances equal to the brute-force optimum."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promzona.core.optimise.allocation import parse_allocation
from promzona.core.optimise.assign import solve_allocation
from promzona.core.optimise.plan import parse_plan
from promzona.core.optimise.schedule import plan_json, solve_plan

pytestmark = pytest.mark.nodb
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)
KIND_OF = {"power_kw": "power", "water_m3_day": "water", "sewage_m3_day": "sewage",
           "heat_gcal_h": "heat", "gas_m3_h": "gas"}
EPS = 1e-6

# --- allocation ----------------------------------------------------------------------------


@st.composite
def allocations(draw, max_apps=6, max_plots=5):
    """Small zones where free power is usually scarce: one or two substations and a water
    intake; every plot has power, most have water."""
    sources = [{"id": f"PS{i}", "kind": "power",
                "free": draw(st.sampled_from([500, 800, 300, 1000, 0]))}
               for i in range(draw(st.integers(1, 2)))]
    sources.append({"id": "VZ", "kind": "water", "free": draw(st.sampled_from([500, 100, 0]))})
    plots = []
    for p in range(draw(st.integers(1, max_plots))):
        served = {"power": draw(st.sampled_from([s["id"] for s in sources if s["kind"] == "power"]))}
        if draw(st.integers(0, 3)):
            served["water"] = "VZ"
        plots.append({"id": f"P{p}", "area_ha": draw(st.sampled_from([0.5, 1, 2, 5, 10])),
                      "sources": served})
    apps = []
    for a in range(draw(st.integers(2, max_apps))):
        app = {"id": f"A{a}", "value": draw(st.integers(0, 100)),
               "needs": {"power_kw": draw(st.sampled_from([400, 600, 300, 800, 0])),
                         "water_m3_day": draw(st.sampled_from([0, 50, 0, 400]))}}
        if not draw(st.integers(0, 2)):
            lo = draw(st.sampled_from([0, 1, 2]))
            app["area_ha"] = {"min": lo, "max": lo + draw(st.sampled_from([0.5, 3, 10]))}
        if plots and not draw(st.integers(0, 2)):
            app["eligible"] = draw(st.lists(st.sampled_from([p["id"] for p in plots]),
                                            unique=True, max_size=3))
        if draw(st.booleans()):  # its dates pick another connection on some plots
            own = draw(st.lists(st.sampled_from(plots), unique_by=lambda p: p["id"],
                                max_size=3))
            power = [s["id"] for s in sources if s["kind"] == "power"]
            app["sources"] = {p["id"]: {"power": draw(st.sampled_from(
                [s for s in power if s != p["sources"]["power"]] or power))} for p in own}
        apps.append(app)
    return {"applications": apps, "plots": plots, "sources": sources}


def source_of(app: dict, plot: dict, kind: str) -> str | None:
    """The application's own source for ``plot`` where it names one, else the plot's."""
    return app.get("sources", {}).get(plot["id"], {}).get(kind) or plot["sources"].get(kind)


def allowed(data: dict, app: dict, plot: dict) -> bool:
    """May ``plot`` serve ``app`` on its own (ignoring the others)? Written from the contract."""
    if "eligible" in app and plot["id"] not in app["eligible"]:
        return False
    area = app.get("area_ha")
    if area and not area["min"] <= plot["area_ha"] <= area["max"]:
        return False
    return all(amount == 0 or source_of(app, plot, KIND_OF[key]) for key, amount in
               app.get("needs", {}).items())


def allocation_feasible(data: dict, pairs: dict[str, str]) -> bool:
    apps = {a["id"]: a for a in data["applications"]}
    plots = {p["id"]: p for p in data["plots"]}
    if len(set(pairs.values())) != len(pairs):
        return False
    use: dict[str, float] = {}
    for a, p in pairs.items():
        if not allowed(data, apps[a], plots[p]):
            return False
        for key, amount in apps[a].get("needs", {}).items():
            if amount:
                src = source_of(apps[a], plots[p], KIND_OF[key])
                use[src] = use.get(src, 0) + amount
    free = {s["id"]: s["free"] for s in data["sources"]}
    return all(u <= free[s] + EPS for s, u in use.items())


def allocation_value(data: dict, pairs: dict[str, str]) -> float:
    values = {a["id"]: a["value"] for a in data["applications"]}
    return sum(values[a] for a in pairs)


def brute_force_allocation(data: dict) -> float:
    apps = data["applications"]
    options = [[None] + [p["id"] for p in data["plots"] if allowed(data, a, p)] for a in apps]
    best = 0.0
    for choice in itertools.product(*options):
        pairs = {a["id"]: p for a, p in zip(apps, choice, strict=True) if p is not None}
        if allocation_feasible(data, pairs):
            best = max(best, allocation_value(data, pairs))
    return best


def check_allocation(data: dict) -> tuple[bool, bool]:
    """Solve, check, and return whether capacity decided something and whether an application
    may have a plot on a source of its own (for the shares below)."""
    inst = parse_allocation(data)
    result = solve_allocation(inst, time_limit=10)
    out = result.to_json(inst)
    pairs = {a["application"]: a["plot"] for a in out["assignments"]}
    assert allocation_feasible(data, pairs)
    assert out["objective"] == pytest.approx(allocation_value(data, pairs))
    assert {u["application"] for u in out["unassigned"]} == \
        {a["id"] for a in data["applications"]} - set(pairs)
    for b in result.baselines:
        assert allocation_feasible(data, b.assignments)
        assert b.objective == pytest.approx(allocation_value(data, b.assignments))
        assert out["objective"] >= b.objective - EPS
    assert out["status"] == "optimal"
    assert out["objective"] == pytest.approx(brute_force_allocation(data))
    own = any(a["needs"]["power_kw"] and allowed(data, a, p)
              and source_of(a, p, "power") != p["sources"]["power"]
              for a in data["applications"] for p in data["plots"])
    return capacity_binds(data), own


def capacity_binds(data: dict) -> bool:
    """Could the applications that fit a source's plots ask it for more than it has free?"""
    free = {s["id"]: s["free"] for s in data["sources"]}
    demand: dict[str, float] = {}
    for a in data["applications"]:
        asked = set()
        for p in data["plots"]:
            if allowed(data, a, p):
                for key, amount in a["needs"].items():
                    src = source_of(a, p, KIND_OF[key])
                    if amount and src and amount <= free[src]:
                        asked.add((src, amount))
        for src, amount in asked:
            demand[src] = demand.get(src, 0) + amount
    return any(d > free[s] for s, d in demand.items())


def test_allocation_is_feasible_optimal_and_never_worse_than_a_baseline():
    seen = []

    @SETTINGS
    @given(allocations())
    def run(data):
        seen.append(check_allocation(data))

    run()
    binds = sum(b for b, _ in seen) / len(seen)
    own = sum(o for _, o in seen) / len(seen)
    print(f"examples where a source's capacity binds: {binds:.0%}; "
          f"where an application may have a plot on a source of its own: {own:.0%}")
    assert binds >= 0.3  # the capacity rows are really exercised
    assert own >= 0.15  # and an application's own sources


# --- build plan ----------------------------------------------------------------------------


@st.composite
def plans(draw, max_works=4, max_periods=3):
    periods = draw(st.integers(1, max_periods))
    works = []
    for j in range(draw(st.integers(1, max_works))):
        earlier = [w["id"] for w in works]
        works.append({"id": f"W{j}", "cost": draw(st.sampled_from([5, 8, 3, 12, 0])),
                      "duration": draw(st.integers(1, 2)),
                      "requires": draw(st.lists(st.sampled_from(earlier), unique=True,
                                                max_size=2)) if earlier else []})
    plots = [{"id": f"P{i}", "value": draw(st.integers(0, 50)),
              "requires": draw(st.lists(st.sampled_from([w["id"] for w in works]), unique=True,
                                        max_size=2)) if works else []}
             for i in range(draw(st.integers(1, 4)))]
    return {"periods": periods, "budget": draw(st.lists(st.sampled_from([6, 4, 10, 0]),
                                                        min_size=periods, max_size=periods)),
            "discount_rate": draw(st.sampled_from([0, 0.05, 0.5])),
            "carry_over": draw(st.booleans()), "works": works, "plots": plots}


def schedule_feasible(data: dict, starts: dict[str, int]) -> bool:
    T = data["periods"]
    works = {w["id"]: w for w in data["works"]}
    for w, s in starts.items():
        if not 1 <= s or s + works[w]["duration"] - 1 > T:
            return False
        for r in works[w]["requires"]:
            if r not in starts or starts[r] + works[r]["duration"] - 1 >= s:
                return False
    spent = [0.0] * T
    for w, s in starts.items():
        spent[s - 1] += works[w]["cost"]
    if data["carry_over"]:
        return all(sum(spent[:t + 1]) <= sum(data["budget"][:t + 1]) + EPS for t in range(T))
    return all(spent[t] <= data["budget"][t] + EPS for t in range(T))


def schedule_value(data: dict, starts: dict[str, int]) -> tuple[float, dict]:
    works = {w["id"]: w for w in data["works"]}
    done = {w: s + works[w]["duration"] - 1 for w, s in starts.items()}
    total, unlocked = 0.0, {}
    for p in data["plots"]:
        if all(r in done for r in p["requires"]):
            t = max([done[r] for r in p["requires"]], default=1)
            unlocked[p["id"]] = t
            total += p["value"] / (1 + data["discount_rate"]) ** (t - 1)
        else:
            unlocked[p["id"]] = None
    return total, unlocked


def brute_force_plan(data: dict) -> float:
    ids = [w["id"] for w in data["works"]]
    best = 0.0
    for choice in itertools.product([None, *range(1, data["periods"] + 1)], repeat=len(ids)):
        starts = {w: s for w, s in zip(ids, choice, strict=True) if s is not None}
        if schedule_feasible(data, starts):
            best = max(best, schedule_value(data, starts)[0])
    return best


def check_plan(data: dict) -> bool:
    """Solve, check, and return whether the budget decided something (for the share below)."""
    inst = parse_plan(data)
    result = solve_plan(inst, time_limit=10)
    out = plan_json(inst, result)
    starts = {r["work"]: r["start"] for r in out["schedule"]}
    assert schedule_feasible(data, starts)
    value, unlocked = schedule_value(data, starts)
    assert out["objective"] == pytest.approx(value)
    assert {p["plot"]: p["unlocked"] for p in out["plots"]} == unlocked
    durations = {w["id"]: w["duration"] for w in data["works"]}
    assert all(r["complete"] == r["start"] + durations[r["work"]] - 1 for r in out["schedule"])
    for name, (objective, b_starts) in result.baselines.items():
        assert schedule_feasible(data, b_starts), name
        assert objective == pytest.approx(schedule_value(data, b_starts)[0])
        assert out["objective"] >= objective - EPS
    assert out["status"] == "optimal"
    assert out["objective"] == pytest.approx(brute_force_plan(data), abs=1e-6)
    return sum(w["cost"] for w in data["works"]) > data["budget"][0]


def test_plan_is_feasible_optimal_and_never_worse_than_a_baseline():
    budget_decided = []

    @SETTINGS
    @given(plans())
    def run(data):
        budget_decided.append(check_plan(data))

    run()
    share = sum(budget_decided) / len(budget_decided)
    print(f"examples where the first period's budget cannot pay every work: {share:.0%}")
    assert share >= 0.3
