"""Growth points: a hand-computed ranking, transparency, determinism, bad input, the demo."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import promzona.core.growth_points as gp_mod
from promzona.core.errors import InputError
from promzona.core.growth_points import (
    aggregate_purchases,
    density_by_concordance,
    growth_points,
    hosting_scores,
)

pytestmark = pytest.mark.nodb

PURCHASES = pd.DataFrame(
    {
        "sector": ["X", "X", "Y", "Z"],
        "value_kzt": [100.0, 100.0, 300.0, 50.0],
        "share_outside": [1.0, 0.5, 0.5, 1.0],
    }
)
DENSITY = {"X": 0.2, "Y": 0.2, "Z": 0.1}
HOSTING = {"X": 0.5, "Y": 0.5, "Z": 1.0}


def run(p=PURCHASES, **kw):
    kw.setdefault("density", DENSITY)
    kw.setdefault("hosting", HOSTING)
    kw.setdefault("priority", ["Z"])
    return growth_points(p, **kw)


def test_docstring_examples_pass():
    r = doctest.testmod(gp_mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert r.attempted > 0 and r.failed == 0


def test_hand_computed_ranking():
    r = run()
    # localisable: X = 100 + 50 = 150, Y = 150, Z = 50 -> demand 1, 1, 1/3
    # density / max: 1, 1, 0.5; hosting .5, .5, 1; priority 0, 0, 1
    # X = Y = .4 + .25 + .1 = 0.75; Z = .4/3 + .125 + .2 + .15 = 0.608333...
    assert r["sector"].tolist() == ["X", "Y", "Z"]  # X/Y tie broken by code
    assert r["score"].tolist() == pytest.approx([0.75, 0.75, 0.4 / 3 + 0.475])
    assert r["rank"].tolist() == [1, 2, 3]
    x = r.set_index("sector").loc["X"]
    assert x["value_kzt"] == 200 and x["localisable_kzt"] == 150 and x["share_outside"] == 0.75


def test_contributions_sum_to_score():
    r = run(weights={"demand": 3, "density": 1, "hosting": 1, "priority": 5})
    contrib = r[["contrib_demand", "contrib_density", "contrib_hosting", "contrib_priority"]].sum(axis=1)
    assert np.allclose(contrib, r["score"])
    assert r["score"].between(0, 1).all()


def test_weights_are_normalised_and_change_the_order():
    r = run(weights={"priority": 2.0})
    assert r["sector"].tolist()[0] == "Z" and r["score"].iloc[0] == pytest.approx(1.0)


def test_order_does_not_depend_on_input_row_order():
    a = run()
    b = run(PURCHASES.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(a, b)


def test_tie_broken_by_localisable_value_before_code():
    p = pd.DataFrame({"sector": ["A", "B"], "value_kzt": [10.0, 20.0], "share_outside": [1.0, 1.0]})
    r = growth_points(p, density={"A": 0.1, "B": 0.1}, hosting={"A": 1, "B": 1},
                      weights={"hosting": 1})
    assert r["sector"].tolist() == ["B", "A"]


def test_log_scale_and_unscaled_density():
    r = run(scale="log", density_scale="none").set_index("sector")
    assert r.loc["Z", "demand"] == pytest.approx(np.log1p(50) / np.log1p(150))
    assert r.loc["Z", "density"] == 0.1


def test_names_column_when_given():
    r = run(names={"X": "Metal"})
    assert r.set_index("sector")["name"].to_dict() == {"X": "Metal", "Y": "", "Z": ""}


def test_nothing_bought_outside_gives_zero_demand_not_nan():
    p = PURCHASES.assign(share_outside=0.0)
    r = run(p)
    assert (r["demand"] == 0).all() and not r.isna().any().any()


def test_aggregate_keeps_zero_value_sector_without_nan():
    p = pd.DataFrame({"sector": ["A"], "value_kzt": [0.0], "share_outside": [0.5]})
    assert aggregate_purchases(p)["share_outside"].tolist() == [0.0]


def test_density_by_concordance():
    d = density_by_concordance({"6911": 0.2, "6912": 0.4, "7111": 0.1}, {"C25": ["69", "71"], "H49": []})
    assert d == {"C25": pytest.approx(0.7 / 3)}


@pytest.mark.parametrize(
    "purchases, why",
    [
        (PURCHASES.iloc[0:0], "empty"),
        (PURCHASES.drop(columns="share_outside"), "columns"),
        (PURCHASES.assign(value_kzt=[100.0, -1.0, 300.0, 50.0]), "negative"),
        (PURCHASES.assign(value_kzt=[100.0, None, 300.0, 50.0]), "missing"),
        (PURCHASES.assign(share_outside=[1.0, 1.5, 0.5, 1.0]), "out_of_range"),
        (PURCHASES.assign(sector=["X", None, "Y", "Z"]), "missing"),
    ],
)
def test_bad_purchases_fail(purchases, why):
    with pytest.raises(InputError) as e:
        run(purchases)
    assert e.value.details["reason"] == why


def test_sector_without_density_fails():
    with pytest.raises(InputError) as e:
        run(density={"X": 0.1, "Y": 0.1})
    assert e.value.details["sectors"] == ["Z"]


@pytest.mark.parametrize("density", [{"X": 0.1, "Y": 1.2, "Z": 0.1}, {"X": 0.1, "Y": None, "Z": 0.1}])
def test_density_out_of_range_or_missing_fails(density):
    with pytest.raises(InputError):
        run(density=density)


@pytest.mark.parametrize("weights", [{"demand": -1}, {"demand": 0}, {"size": 1}])
def test_bad_weights_fail(weights):
    with pytest.raises(InputError):
        run(weights=weights)


# ---- the shipped demo --------------------------------------------------------------------------


def test_balkhash_demo_files_are_labelled_illustrative():
    from importlib import resources

    for name in ("balkhash_employment.csv", "balkhash_smelter_purchases.csv", "balkhash_sectors.csv"):
        first = resources.files("promzona.sectors_data").joinpath(name).read_text().splitlines()[0]
        assert first.startswith("# ILLUSTRATIVE DATA")


def test_balkhash_demo_ranks_the_priority_directions_high():
    from promzona.core.sector_data import balkhash_analysis

    a = balkhash_analysis()
    gp = a.growth_points
    assert not gp.isna().any().any()
    top9 = gp.head(9)
    assert (top9["priority"] == 1).all()
    assert set(gp["sector"]) >= {"C25", "C28", "C33", "C23", "C22", "C17", "H49", "H52", "M71", "D35", "F43"}
    ss = a.shift_share
    assert np.allclose(ss["national_growth"] + ss["industry_mix"] + ss["regional_shift"], ss["change"])


def test_kazakhstan_opportunities_have_names():
    from promzona.core.sector_data import kazakhstan_opportunities

    top = kazakhstan_opportunities(10)
    assert len(top) == 10 and (top["name"] != "").all()
    assert top["rank"].tolist() == list(range(1, 11))


# ---- hosting from plots and free capacity -------------------------------------------------------

PLOTS = [
    {"area_ha": 5, "hazard_class_max": 3, "permitted_sectors": ["C25", "C24"], "available": True},
    {"area_ha": 1, "hazard_class_max": 3, "permitted_sectors": ["C25"], "available": True},  # small
    {"area_ha": 9, "hazard_class_max": 5, "permitted_sectors": [], "available": True},  # any sector
    {"area_ha": 9, "hazard_class_max": 3, "permitted_sectors": ["C25"], "available": False},  # taken
]


def test_hosting_hand_example():
    needs = {
        "C25": {"area_ha": 2, "hazard_class": 4, "power": 1000, "water": 10},
        "C24.44": {"area_ha": 2, "hazard_class": 2, "power": 100},  # too hazardous for every plot
        "M71": {"area_ha": 0.3, "hazard_class": 5},
    }
    r = hosting_scores(PLOTS, needs, {"power": 500, "water": 100}, enough_plots=2).set_index("sector")
    cols = ["fitting_plots", "plot_fit", "capacity_fit", "hosting"]
    # C25 fits plot 0 only (1 is small, 2 allows class 5 only, 3 is taken) -> plot_fit 1/2;
    # power 500/1000 -> 0.5, water 100/10 -> 1
    assert r.loc["C25", cols].tolist() == [1, 0.5, 0.5, 0.25]
    # C24.44 is permitted on plot 0 through C24 but class 2 is more hazardous than class 3 allows
    assert r.loc["C24.44", "fitting_plots"] == 0 and r.loc["C24.44", "hosting"] == 0
    # M71 needs no utilities: only plot 2 permits it (any sector)
    assert r.loc["M71", cols].tolist() == [1, 0.5, 1.0, 0.5]


def test_hosting_dotted_code_is_permitted_by_its_parent():
    r = hosting_scores(PLOTS[:1], {"C24.44": {"area_ha": 1, "hazard_class": 3}}, {}, enough_plots=1)
    assert r["hosting"].tolist() == [1.0]


def test_hosting_missing_capacity_kind_means_zero():
    r = hosting_scores(PLOTS, {"C25": {"area_ha": 1, "hazard_class": 5, "heat": 2}}, {"power": 9})
    assert r["capacity_fit"].tolist() == [0.0] and r["hosting"].tolist() == [0.0]


@pytest.mark.parametrize(
    "plots, needs",
    [
        (PLOTS, {"C25": {"area_ha": -1}}),
        (PLOTS, {"C25": {"hazard_class": 0}}),
        (PLOTS, {"C25": {"power": -5}}),
        ([{"hazard_class_max": 3}], {"C25": {}}),
    ],
)
def test_hosting_bad_input_fails(plots, needs):
    with pytest.raises(InputError):
        hosting_scores(plots, needs, {"power": 1})
