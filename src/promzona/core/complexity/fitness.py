"""Fitness-complexity (Tacchella, Cristelli, Caldarelli, Gabrielli & Pietronero 2012)."""

from __future__ import annotations

import numpy as np

from promzona.core.complexity._matrix import _fail, as_dense


def fitness_complexity(m, *, iterations: int = 19, extremality: float = 1.0):
    """Fitness of locations and complexity of products.

    Convention (the reference's, R ``economiccomplexity`` 2.0.0 with its defaults): start from
    ``F = Q = 1``; do ``iterations`` simultaneous updates, each using the previous step's values::

        F_n = M Q_{n-1}
        Q_n = 1 / (M^T F_{n-1}^-g)^(1/g)        (g = extremality; g = 1: 1 / (M^T (1 / F)))

    and normalise ``F_n`` and ``Q_n`` to mean 1 after every step. Returns ``(fitness,
    complexity)``. Raises :class:`InputError` when a row or column of ``m`` is all zero (the update
    would divide by zero).

    Examples
    --------
    >>> f, q = fitness_complexity(np.array([[1.0, 1.0], [1.0, 0.0]]))
    >>> bool(f[0] > f[1]) and bool(q[1] > q[0])
    True
    """
    m = as_dense(m)
    if m.size == 0:
        raise _fail("the matrix is empty", "empty")
    if (m.sum(axis=1) == 0).any():
        raise _fail("a location has no product with M_cp = 1", "zero_diversity")
    if (m.sum(axis=0) == 0).any():
        raise _fail("a product has no location with M_cp = 1", "zero_ubiquity")
    if iterations < 1 or extremality <= 0:
        raise ValueError("iterations must be >= 1 and extremality > 0")
    f = np.ones(m.shape[0])
    q = np.ones(m.shape[1])
    g = float(extremality)
    for _ in range(iterations):
        f_new = m @ q
        q_new = 1.0 / (m.T @ f ** (-g)) ** (1.0 / g)
        f = f_new / f_new.mean()
        q = q_new / q_new.mean()
    return f, q
