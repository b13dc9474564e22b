"""Revealed comparative advantage, presence (M_cp), diversity and ubiquity."""

from __future__ import annotations

import numpy as np

from promzona.core.complexity._matrix import _fail, as_dense


def _totals(x: np.ndarray):
    row = x.sum(axis=1, keepdims=True)
    col = x.sum(axis=0, keepdims=True)
    total = x.sum()
    if total <= 0:
        raise _fail("the matrix has no positive value", "empty")
    if (row <= 0).any():
        raise _fail("a location has no products (all values zero)", "empty_location")
    if (col <= 0).any():
        raise _fail("a product has zero value everywhere", "empty_product")
    return row, col, total


def rca(x) -> np.ndarray:
    """Balassa's revealed comparative advantage, the same as the location quotient.

    ``R_cp = (X_cp / X_c) / (X_p / X)``. For employment data this is the location quotient.

    Examples
    --------
    >>> rca(np.array([[1.0, 1.0], [0.0, 2.0]])).round(2)
    array([[2.  , 0.67],
           [0.  , 1.33]])
    """
    x = as_dense(x)
    row, col, total = _totals(x)
    return (x / row) / (col / total)


location_quotient = rca


def rpop(x, population) -> np.ndarray:
    """The population-based presence ratio of the Atlas: ``(X_cp / pop_c) / (X_p / sum_c pop_c)``.

    Examples
    --------
    >>> rpop(np.array([[2.0, 0.0], [2.0, 4.0]]), [1.0, 3.0]).round(2)
    array([[2.  , 0.  ],
           [0.67, 1.33]])
    """
    x = as_dense(x)
    pop = np.asarray(population, dtype=float).reshape(-1)
    if pop.shape[0] != x.shape[0]:
        raise _fail("population must have one value per location", "columns")
    if np.isnan(pop).any():
        raise _fail("a population value is missing", "missing")
    if (pop <= 0).any():
        raise _fail("population must be positive", "negative")
    _, col, _ = _totals(x)
    return (x / pop[:, None]) / (col / pop.sum())


def mcp(
    x,
    *,
    threshold: float = 1.0,
    presence: str = "rca",
    population=None,
    rpop_threshold: float = 1.0,
) -> np.ndarray:
    """The binary presence matrix M_cp (0/1 as float).

    ``presence="rca"``: M_cp = 1 when RCA >= ``threshold`` (the reference convention);
    ``"rpop"``: when RPOP >= ``rpop_threshold`` (needs ``population``); ``"both"``: either test
    passes (the Atlas combines them for countries).

    Examples
    --------
    >>> mcp(np.array([[1.0, 1.0], [0.0, 2.0]]))
    array([[1., 0.],
           [0., 1.]])
    """
    if presence not in ("rca", "rpop", "both"):
        raise ValueError("presence must be 'rca', 'rpop' or 'both'")
    x = as_dense(x)
    out = np.zeros(x.shape, dtype=bool)
    if presence in ("rca", "both"):
        out |= rca(x) >= threshold
    if presence in ("rpop", "both"):
        if population is None:
            raise _fail("presence 'rpop' needs population", "missing")
        out |= rpop(x, population) >= rpop_threshold
    return out.astype(float)


def diversity(m) -> np.ndarray:
    """k_c,0: the number of products each location is present in (row sums of M)."""
    return np.asarray(as_dense(m).sum(axis=1)).reshape(-1)


def ubiquity(m) -> np.ndarray:
    """k_p,0: the number of locations present in each product (column sums of M)."""
    return np.asarray(as_dense(m).sum(axis=0)).reshape(-1)
