"""core.complexity on small hand-checked examples, conventions, the §6 tables and bad input."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import promzona.core.complexity as cx
from promzona.core.complexity import compute_indicators
from promzona.core.errors import InputError

pytestmark = pytest.mark.nodb

# a nested ("triangular") matrix plus noise, connected
X = np.array(
    [
        [9.0, 5.0, 4.0, 3.0, 2.0, 1.0],
        [8.0, 4.0, 3.0, 2.0, 0.0, 0.5],
        [7.0, 3.0, 2.0, 0.0, 0.0, 0.0],
        [6.0, 2.0, 0.0, 0.0, 0.1, 0.0],
        [5.0, 0.0, 0.0, 0.3, 0.0, 0.0],
    ]
)


def long(x=X):
    rows = [(f"L{i}", f"P{j}", v) for i, r in enumerate(x) for j, v in enumerate(r) if v]
    return pd.DataFrame(rows, columns=["location", "product", "value"])


@pytest.mark.parametrize(
    "name", ["_matrix", "measures", "proximity", "eci", "fitness", "outlook", "shift_share", "indicators"]
)
def test_docstring_examples_pass(name):
    module = importlib.import_module(f"promzona.core.complexity.{name}")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags)
    assert result.attempted > 0 and result.failed == 0


def test_package_docstring_documents_every_convention():
    for word in ("RCA", "M_cp", "Proximity", "diagonal", "ddof", "pci_normalisation", "COG",
                 "Fitness", "Shift-share", "growthlab"):
        assert word in cx.__doc__


def test_rca_hand_example():
    r = cx.rca(np.array([[1.0, 1.0], [0.0, 2.0]]))
    # totals: rows 2, 2; columns 1, 3; all 4
    assert r == pytest.approx(np.array([[2.0, 2 / 3], [0.0, 4 / 3]]))
    assert cx.location_quotient is cx.rca


def test_mcp_threshold_is_inclusive():
    x = np.array([[1.0, 1.0], [1.0, 1.0]])  # every RCA is exactly 1
    assert cx.mcp(x).sum() == 4
    assert cx.mcp(x, threshold=1.0000001).sum() == 0


def test_mcp_population_variant():
    x = np.array([[2.0, 0.0], [2.0, 4.0]])
    # RPOP with populations 1 and 3: row 0 = [2, 0], row 1 = [2/3, 4/3]
    assert cx.mcp(x, presence="rpop", population=[1.0, 3.0]).tolist() == [[1, 0], [0, 1]]
    # RCA alone: row 0 = [2, 0], row 1 = [0.5, 1.5]; "both" is the union
    assert cx.mcp(x, presence="both", population=[3.0, 1.0]).tolist() == [[1, 0], [1, 1]]


def test_mcp_rpop_without_population_fails():
    with pytest.raises(InputError):
        cx.mcp(X, presence="rpop")


def test_proximity_hand_example_and_diagonal():
    m = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    # ubiquity 3, 2, 1; co-occurrence 0-1: 2 -> 2/3; 0-2: 1 -> 1/3; 1-2: 0
    phi = cx.proximity(m)
    assert phi == pytest.approx(np.array([[1, 2 / 3, 1 / 3], [2 / 3, 1, 0], [1 / 3, 0, 1]]))
    assert np.diag(cx.proximity(m, diagonal=0.0)).tolist() == [0, 0, 0]
    loc = cx.proximity(m, kind="location")
    # diversities 2, 2, 2; rows 0 and 2 share 2 products -> 1; 0 and 1 share 1 -> 1/2
    assert loc == pytest.approx(np.array([[1, 0.5, 1], [0.5, 1, 0.5], [1, 0.5, 1]]))


def test_proximity_accepts_sparse_input():
    m = cx.mcp(X)
    assert np.allclose(cx.proximity(sparse.csr_matrix(m)), cx.proximity(m))


def test_density_and_distance_hand_example():
    m = np.array([[1.0, 0.0, 0.0]])
    phi = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]])
    assert cx.density(m, phi) == pytest.approx(np.array([[1 / 1.5, 0.5 / 2, 0.0]]))
    assert cx.distance(m, phi) == pytest.approx(1 - cx.density(m, phi))


def test_density_is_zero_for_a_product_without_neighbours():
    m = np.array([[1.0, 0.0], [0.0, 1.0]])
    d = cx.density(m, np.zeros((2, 2)))
    assert d.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_eci_does_not_depend_on_row_order():
    m = cx.mcp(X)
    a = cx.eci_pci(m)
    b = cx.eci_pci(m[::-1])
    assert np.allclose(a.eci, b.eci[::-1]) and np.allclose(a.pci, b.pci)


def test_eci_identities_when_products_fewer_than_locations():
    m = cx.mcp(X).T  # 6 "locations" x 5 "products": the product side is solved
    r = cx.eci_pci(m)
    kc, kp = m.sum(1), m.sum(0)
    assert np.allclose(r.pci_raw, (m.T @ r.eci_raw) / kp)
    assert np.allclose(r.eci_raw, (m @ r.pci_raw) / kc / r.eigenvalue)
    assert np.allclose(r.eci, (m @ r.pci) / kc)


def test_eci_sign_positive_with_diversity():
    m = cx.mcp(X)
    assert np.corrcoef(cx.eci_pci(m).eci, m.sum(1))[0, 1] > 0


def test_sign_without_diversity_signal_makes_the_first_location_positive():
    # a symmetric structure: ECI is uncorrelated with diversity and ubiquity is constant
    m = np.array([[0, 1, 1], [1, 0, 1], [0, 0, 1], [0, 1, 1], [1, 0, 0], [1, 1, 0], [1, 1, 0]], float)
    r = cx.eci_pci(m)
    assert abs(np.corrcoef(r.eci, m.sum(1))[0, 1]) < 1e-12
    assert r.eci[0] > 0
    assert cx.eci_pci(m[::-1]).eci[0] > 0


def test_ddof_one_rescales_by_sample_std():
    m = cx.mcp(X)
    a, b = cx.eci_pci(m, ddof=0), cx.eci_pci(m, ddof=1)
    n = m.shape[0]
    assert b.eci == pytest.approx(a.eci * np.sqrt((n - 1) / n))
    assert b.eci.std(ddof=1) == pytest.approx(1.0)


def test_pci_own_normalisation_is_a_zscore():
    r = cx.eci_pci(cx.mcp(X), pci_normalisation="own")
    assert r.pci.mean() == pytest.approx(0, abs=1e-12) and r.pci.std() == pytest.approx(1)
    atlas = cx.eci_pci(cx.mcp(X))
    assert not np.allclose(r.pci, atlas.pci)


def test_eci_disconnected_network_fails():
    m = np.array([[1.0, 1.0, 0, 0], [1.0, 0, 0, 0], [0, 0, 1.0, 1.0], [0, 0, 1.0, 0]])
    with pytest.raises(InputError) as e:
        cx.eci_pci(m)
    assert e.value.details["reason"] == "disconnected"


def test_eci_without_structure_fails():
    # found by hypothesis: every location has every product, the second eigenvalue is 0
    with pytest.raises(InputError) as e:
        compute_indicators(np.full((3, 3), 0.5))
    assert e.value.details["reason"] == "no_structure"


def test_eci_zero_diversity_fails():
    m = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]])
    with pytest.raises(InputError) as e:
        cx.eci_pci(m)
    assert e.value.details["reason"] == "zero_diversity"


def test_eci_needs_two_locations():
    with pytest.raises(InputError):
        cx.eci_pci(np.array([[1.0, 1.0]]))


def test_high_threshold_leaving_a_location_empty_fails_clearly():
    with pytest.raises(InputError) as e:
        compute_indicators(long(), threshold=50)
    assert e.value.details["reason"] in ("zero_diversity", "zero_ubiquity")


def test_fitness_ranks_the_diversified_first():
    f, q = cx.fitness_complexity(cx.mcp(X))
    assert f.mean() == pytest.approx(1) and q.mean() == pytest.approx(1)
    assert f[0] == f.max()


def test_fitness_zero_row_fails():
    with pytest.raises(InputError):
        cx.fitness_complexity(np.array([[1.0, 0.0], [0.0, 0.0]]))


def test_cog_variants_differ_by_the_own_term():
    m = cx.mcp(X)
    phi = cx.proximity(m)
    pci = cx.eci_pci(m).pci
    atlas = cx.cog(m, phi, pci)
    gl = cx.cog(m, phi, pci, variant="growthlab")
    assert np.allclose(gl - atlas, (1 - m) * cx.density(m, phi) * pci[None, :])
    assert np.all(atlas[m == 1] == 0) and np.all(gl[m == 1] == 0)


def test_contract_tables_have_exact_columns():
    ind = compute_indicators(long())
    assert ind.locations_frame().columns.tolist() == ["location", "diversity", "eci", "coi"]
    assert ind.products_frame().columns.tolist() == ["product", "ubiquity", "pci"]
    lp = ind.location_products_frame()
    assert lp.columns.tolist() == ["location", "product", "rca", "mcp", "density", "cog"]
    assert len(lp) == 5 * 6
    assert not lp.isna().any().any()


def test_matrix_and_long_inputs_agree():
    a = compute_indicators(long())
    b = compute_indicators(pd.DataFrame(X, index=[f"L{i}" for i in range(5)],
                                        columns=[f"P{j}" for j in range(6)]))
    assert np.allclose(a.eci, b.eci) and np.allclose(a.cog, b.cog)


def test_opportunities_exclude_present_products_and_sum_contributions():
    ind = compute_indicators(long())
    opp = ind.opportunities("L3", only_more_complex=False)
    c = 3
    assert set(opp["product"]) == {f"P{j}" for j in range(6) if ind.mcp[c, j] == 0}
    contrib = opp[[c for c in opp if c.startswith("contrib_")]].sum(axis=1)
    assert np.allclose(contrib, opp["score"])
    assert opp["score"].is_monotonic_decreasing
    assert opp["rank"].tolist() == list(range(1, len(opp) + 1))


def test_opportunities_unknown_location_fails():
    with pytest.raises(InputError):
        compute_indicators(long()).opportunities("nowhere")


def test_min_location_total_drops_small_exporters_and_their_only_products():
    t = pd.concat([long(), pd.DataFrame([["tiny", "P9", 0.2]], columns=["location", "product", "value"])])
    ind = compute_indicators(t, min_location_total=1.0)
    assert ind.dropped_locations == ["tiny"] and ind.dropped_products == ["P9"]
    assert "tiny" not in set(ind.locations) and "P9" not in set(ind.products)
    assert np.allclose(ind.eci, compute_indicators(long()).eci)
    with pytest.raises(InputError):
        compute_indicators(t, min_location_total=1e9)


def test_population_variant_through_pipeline():
    pop = {f"L{i}": float(i + 1) for i in range(5)}
    ind = compute_indicators(long(), presence="both", population=pop)
    assert ind.conventions["presence"] == "both"
    with pytest.raises(InputError):
        compute_indicators(long(), presence="rpop", population={"L0": 1.0})


# ---- bad input ---------------------------------------------------------------------------------


def reason(excinfo):
    return excinfo.value.details["reason"]


def test_empty_table_fails():
    with pytest.raises(InputError) as e:
        compute_indicators(pd.DataFrame(columns=["location", "product", "value"]))
    assert reason(e) == "empty"


def test_missing_column_fails():
    with pytest.raises(InputError) as e:
        cx.from_long(long().drop(columns="value"))
    assert reason(e) == "columns"


def test_missing_value_fails():
    t = long()
    t.loc[2, "value"] = np.nan
    with pytest.raises(InputError) as e:
        compute_indicators(t)
    assert reason(e) == "missing" and e.value.details["rows"] == [2]


def test_missing_location_fails():
    t = long().astype({"location": object})
    t.loc[0, "location"] = None
    with pytest.raises(InputError) as e:
        compute_indicators(t)
    assert reason(e) == "missing"


def test_non_numeric_value_fails():
    t = long().astype({"value": object})
    t.loc[1, "value"] = "12,5"
    with pytest.raises(InputError) as e:
        compute_indicators(t)
    assert reason(e) == "not_numeric"


@pytest.mark.parametrize("bad", [-1.0, np.inf])
def test_negative_or_infinite_value_fails(bad):
    t = long()
    t.loc[3, "value"] = bad
    with pytest.raises(InputError) as e:
        compute_indicators(t)
    assert reason(e) == "negative"


def test_duplicate_rows_fail_or_sum_when_asked():
    t = pd.concat([long(), long().iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError) as e:
        compute_indicators(t)
    assert reason(e) == "duplicate" and e.value.details["pairs"] == [["L0", "P0"]]
    m = cx.from_long(t, duplicates="sum")
    assert m.values[0, 0] == 18.0


def test_location_with_no_products_fails_or_is_dropped_and_reported():
    t = pd.concat([long(), pd.DataFrame([["L9", "P0", 0.0]], columns=["location", "product", "value"])])
    with pytest.raises(InputError) as e:
        compute_indicators(t)
    assert reason(e) == "empty_location" and e.value.details["locations"] == ["L9"]
    ind = compute_indicators(t, drop_empty=True)
    assert ind.dropped_locations == ["L9"] and "L9" not in set(ind.locations)
    assert not np.isnan(ind.eci).any()


def test_all_zero_column_fails_or_is_dropped():
    x = np.hstack([X, np.zeros((5, 1))])
    with pytest.raises(InputError) as e:
        compute_indicators(x)
    assert reason(e) == "empty_product"
    ind = compute_indicators(x, drop_empty=True)
    assert ind.dropped_products == [6] and ind.mcp.shape == (5, 6)


def test_all_zero_table_fails():
    with pytest.raises(InputError) as e:
        cx.from_matrix(np.zeros((3, 3)))
    assert reason(e) == "empty"


def test_negative_matrix_fails():
    with pytest.raises(InputError):
        cx.from_matrix(-X)


def test_rca_of_zero_row_fails_instead_of_nan():
    with pytest.raises(InputError):
        cx.rca(np.array([[1.0, 2.0], [0.0, 0.0]]))
