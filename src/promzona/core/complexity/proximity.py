"""Proximity (product and location), density and distance."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from promzona.core.complexity._matrix import as_dense


def _cooccurrence(m, axis: str) -> tuple[np.ndarray, np.ndarray]:
    if sparse.issparse(m):
        m = sparse.csr_matrix(m, dtype=float)
        co = (m.T @ m) if axis == "product" else (m @ m.T)
        k = np.asarray(m.sum(axis=0 if axis == "product" else 1)).reshape(-1)
        return np.asarray(co.toarray()), k
    m = as_dense(m)
    co = (m.T @ m) if axis == "product" else (m @ m.T)
    k = m.sum(axis=0 if axis == "product" else 1)
    return co, k


def proximity(m, *, kind: str = "product", diagonal: float | None = 1.0) -> np.ndarray:
    """Proximity between products (or locations) from the presence matrix ``m``.

    ``phi_pp' = sum_c M_cp M_cp' / max(k_p, k_p')`` (Hidalgo et al. 2007), and for
    ``kind="location"`` the same with locations: ``sum_p M_cp M_c'p / max(k_c, k_c')``.
    Pairs whose larger ubiquity is zero get 0.

    ``diagonal``: the value put on the diagonal. ``1.0`` (default) is the reference's and the
    Growth Lab's convention (it is also what the formula gives); ``0.0`` excludes a product from its
    own neighbourhood, which changes density, COG and COI; ``None`` keeps the formula's value.

    Examples
    --------
    >>> m = np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    >>> proximity(m)
    array([[1. , 0.5],
           [0.5, 1. ]])
    """
    if kind not in ("product", "location"):
        raise ValueError("kind must be 'product' or 'location'")
    co, k = _cooccurrence(m, kind)
    denom = np.maximum(k[:, None], k[None, :])
    phi = np.divide(co, denom, out=np.zeros_like(co), where=denom > 0)
    if diagonal is not None:
        np.fill_diagonal(phi, diagonal)
    return phi


def density(m, phi) -> np.ndarray:
    """Density ``w_cp = sum_p' M_cp' phi_pp' / sum_p' phi_pp'`` (values in [0, 1]).

    A product with no neighbour at all (its proximity row sums to zero, possible only with
    ``diagonal=0``) has density 0 everywhere: nothing related is present.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> density(m, np.array([[1.0, 0.5], [0.5, 1.0]]))
    array([[0.66..., 0.33...],
           [0.33..., 0.66...]])
    """
    m = as_dense(m)
    phi = as_dense(phi)
    s = phi.sum(axis=1)
    num = m @ phi.T
    return np.divide(num, s[None, :], out=np.zeros_like(num), where=s[None, :] > 0)


def distance(m, phi) -> np.ndarray:
    """Distance ``d_cp = 1 - density`` (the Atlas: the share of p's neighbourhood not present)."""
    return 1.0 - density(m, phi)
