"""core.complexity against real data and an independent implementation.

The reference (``$PROMZONA_SHARED_DATA/economic-complexity``, see :mod:`tests.core.reference_data`) gives
M_cp, proximities and fitness computed by R ``economiccomplexity`` 2.0.0. ECI, PCI, density, COI
and COG have no reference there: they are checked by a dense non-symmetric eigendecomposition and
by their identities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promzona.core.complexity import compute_indicators, proximity

from .reference_data import REF

pytestmark = pytest.mark.nodb


if not (REF / "world_trade_avg_1998_to_2000.csv.gz").exists():
    pytest.skip(
        f"reference data not found at {REF} (set PROMZONA_SHARED_DATA to the folder that holds "
        f"{REF.name}/)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def ind():
    t = pd.read_csv(REF / "world_trade_avg_1998_to_2000.csv.gz", dtype={"country": str, "product": str})
    return compute_indicators(t.rename(columns={"country": "location"}))


@pytest.fixture(scope="module")
def labels(ind):
    return ind.locations.astype(str), ind.products.astype(str)


def _square(path, index):
    t = pd.read_csv(path, dtype={"a": str, "b": str})
    out = np.zeros((len(index), len(index)))
    ia, ib = index.get_indexer(t["a"]), index.get_indexer(t["b"])
    assert (ia >= 0).all() and (ib >= 0).all()
    out[ia, ib] = t["value"].to_numpy()
    return out


def test_shape_is_226_by_785(ind):
    assert ind.mcp.shape == (226, 785)


def test_mcp_identical_to_reference(ind, labels):
    locs, prods = labels
    ref = pd.read_csv(REF / "reference_mcp.csv.gz", dtype=str)
    expected = np.zeros_like(ind.mcp)
    expected[locs.get_indexer(ref["country"]), prods.get_indexer(ref["product"])] = 1
    assert int(expected.sum()) == 31951
    assert int(ind.mcp.sum()) == 31951
    assert np.array_equal(ind.mcp, expected)


def test_product_proximity_within_1e9(ind, labels):
    ref = _square(REF / "reference_proximity_product.csv.gz", labels[1])
    assert np.abs(ind.proximity - ref).max() < 1e-9


def test_country_proximity_within_1e9(ind, labels):
    ref = _square(REF / "reference_proximity_country.csv.gz", labels[0])
    ours = proximity(ind.mcp, kind="location")
    assert np.abs(ours - ref).max() < 1e-9


def test_fitness_within_1e9(ind, labels):
    locs, prods = labels
    fc = pd.read_csv(REF / "reference_fitness_country.csv", dtype={"id": str})
    fp = pd.read_csv(REF / "reference_fitness_product.csv", dtype={"id": str})
    assert np.abs(ind.fitness[locs.get_indexer(fc["id"])] - fc["value"].to_numpy()).max() < 1e-9
    got = ind.product_fitness_complexity[prods.get_indexer(fp["id"])]
    assert np.abs(got - fp["value"].to_numpy()).max() < 1e-9


def _second_eigvec(mat):
    vals, vecs = np.linalg.eig(mat)
    i = np.argsort(vals.real)[-2]
    return vals.real[i], vecs[:, i].real


def test_eci_matches_dense_nonsymmetric_eig(ind):
    m = ind.mcp
    kc, kp = m.sum(1), m.sum(0)
    mcc = (m / kc[:, None]) @ (m / kp[None, :]).T
    lam, v = _second_eigvec(mcc)
    v = v * np.sign(np.corrcoef(v, kc)[0, 1])
    z = (v - v.mean()) / v.std()
    assert np.abs(z - ind.eci).max() < 1e-8
    assert abs(lam - ind.complexity.eigenvalue) < 1e-10


def test_pci_matches_dense_nonsymmetric_eig_atlas_normalisation(ind):
    m = ind.mcp
    kc, kp = m.sum(1), m.sum(0)
    mpp = (m / kp[None, :]).T @ (m / kc[:, None])
    _, kvec = _second_eigvec(mpp)
    r = (m / kc[:, None]) @ kvec  # each country's mean PCI, as ecomplexity does
    s = np.sign(np.corrcoef(r, kc)[0, 1])
    kvec, r = s * kvec, s * r
    pci = (kvec - r.mean()) / r.std()
    assert np.abs(pci - ind.pci).max() < 1e-8


def test_raw_identities_hold(ind):
    m, c = ind.mcp, ind.complexity
    kc, kp = m.sum(1), m.sum(0)
    # each product's PCI is the mean ECI of its exporters
    assert np.allclose(c.pci_raw, (m.T @ c.eci_raw) / kp, rtol=0, atol=1e-12)
    # each location's ECI is the mean PCI of its products divided by the eigenvalue
    assert np.allclose(c.eci_raw, (m @ c.pci_raw) / kc / c.eigenvalue, rtol=0, atol=1e-10)


def test_normalised_eci_is_mean_pci_of_products(ind):
    m = ind.mcp
    assert np.allclose(ind.eci, (m @ ind.pci) / m.sum(1), rtol=0, atol=1e-10)


def test_eci_sign_follows_diversity(ind):
    assert np.corrcoef(ind.eci, ind.diversity)[0, 1] > 0


def test_density_in_unit_interval_and_matches_reference_proximity(ind, labels):
    assert ind.density.min() >= 0 and ind.density.max() <= 1 + 1e-12
    ref = _square(REF / "reference_proximity_product.csv.gz", labels[1])
    expected = np.einsum("cq,pq->cp", ind.mcp, ref) / ref.sum(axis=1)[None, :]
    assert np.abs(ind.density - expected).max() < 1e-9


def test_coi_by_definition(ind):
    m = ind.mcp
    expected = np.einsum("cp,cp,p->c", ind.density, 1 - m, ind.pci)
    assert np.allclose(ind.coi, expected, rtol=0, atol=1e-9)


def test_cog_zero_where_present(ind):
    assert np.all(ind.cog[ind.mcp == 1] == 0)


def test_cog_is_the_change_of_coi_when_a_product_is_added(ind):
    # With a zero diagonal the Atlas COG is exactly the change of COI (PCI held fixed).
    from promzona.core.complexity import cog, coi

    m = ind.mcp
    phi = proximity(m, diagonal=0.0)
    g = cog(m, phi, ind.pci)
    base = coi(m, phi, ind.pci)
    rng = np.random.default_rng(7)
    zeros = np.argwhere(m == 0)
    for c, p in zeros[rng.choice(len(zeros), 25, replace=False)]:
        m2 = m.copy()
        m2[c, p] = 1
        after = coi(m2[c : c + 1], phi, ind.pci)[0]
        assert after - base[c] == pytest.approx(g[c, p], abs=1e-9)


def test_kazakhstan_is_present_with_opportunities(ind):
    opp = ind.opportunities("kaz", n=10)
    assert len(opp) == 10
    c = list(ind.locations).index("kaz")
    assert (ind.mcp[c, ind.products.get_indexer(opp["product"])] == 0).all()
    assert (opp["pci"] > ind.eci[c]).all()
