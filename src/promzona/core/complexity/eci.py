"""ECI and PCI by the eigenvector method, solved in symmetric form."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg

from promzona.core.complexity._matrix import _fail, as_dense


@dataclass(frozen=True)
class EciPci:
    """Result of :func:`eci_pci`.

    ``eci_raw`` (x) and ``pci_raw`` (y) are the eigenvectors before normalisation, paired so that
    ``y = D_p^-1 M^T x`` (each product's PCI is the mean ECI of its exporters) and
    ``x = D_c^-1 M y / eigenvalue`` (each location's ECI is the mean PCI of its products divided by
    the eigenvalue). ``eci`` and ``pci`` are the normalised indices.
    """

    eci: np.ndarray
    pci: np.ndarray
    eci_raw: np.ndarray
    pci_raw: np.ndarray
    eigenvalue: float


def _sign(x: np.ndarray, k_c: np.ndarray, y: np.ndarray, k_p: np.ndarray) -> float:
    """+1 or -1 so that ECI correlates positively with diversity.

    Fallbacks when that correlation is 0 (e.g. constant diversity): PCI correlates negatively with
    ubiquity; then the first location (in row order; labels are sorted) with a non-zero ECI gets a
    positive one. Only symmetric structures reach the last rule, and there the sign is a choice.
    """
    for a, b, want in ((x, k_c, 1.0), (y, k_p, -1.0)):
        if np.std(a) > 0 and np.std(b) > 0:
            c = float(np.corrcoef(a, b)[0, 1])
            if abs(c) > 1e-12:
                return float(np.sign(c) * want)
    nonzero = np.flatnonzero(np.abs(x) > 1e-12 * np.abs(x).max())
    return float(np.sign(x[nonzero[0]])) if len(nonzero) else 1.0


def eci_pci(m, *, ddof: int = 0, pci_normalisation: str = "eci") -> EciPci:
    """Economic and product complexity indices (Hidalgo & Hausmann 2009; the Atlas 2014).

    ECI is the eigenvector of ``M~ = D_c^-1 M D_p^-1 M^T`` (``D_c = diag(diversity)``,
    ``D_p = diag(ubiquity)``) for the second largest eigenvalue. ``M~`` is not symmetric; we solve
    the similar symmetric matrix ``S = D^-1/2 M D^-1 M^T D^-1/2`` of the smaller side with
    ``scipy.linalg.eigh`` (exact real eigenvalues, no complex round-off) and map back.

    Sign: ECI correlates positively with diversity (PCI gets the same flip, keeping the pairing).

    Normalisation (``ddof`` is passed to the standard deviation; 0 = numpy and the Growth Lab's
    ``ecomplexity``, 1 = the sample standard deviation):

    - ``eci = (r - mean(r)) / std(r)`` where ``r = D_c^-1 M y`` is each location's mean raw PCI
      (``r`` is proportional to ``x``, so this is the z-score of the eigenvector);
    - ``pci_normalisation="eci"`` (the Atlas / Stata / ``ecomplexity``): ``pci = (y - mean(r)) /
      std(r)``; then each location's ECI equals the mean PCI of its products exactly;
    - ``pci_normalisation="own"``: ``pci = (y - mean(y)) / std(y)`` (a z-score of its own).

    Raises :class:`InputError` if a location or product has no presence (diversity or ubiquity 0),
    if there are fewer than two of either, if the network splits into disconnected parts (the
    second eigenvalue equals the first), or if there is nothing to rank (the second eigenvalue is
    0, e.g. every location has every product): in those cases the index is not defined.

    Examples
    --------
    >>> m = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float)
    >>> r = eci_pci(m)
    >>> [round(float(v), 6) + 0.0 for v in r.eci]
    [1.224745, 0.0, -1.224745]
    >>> bool(np.allclose(r.eci, (m @ r.pci) / m.sum(axis=1)))
    True
    """
    if pci_normalisation not in ("eci", "own"):
        raise ValueError("pci_normalisation must be 'eci' or 'own'")
    m = as_dense(m)
    n_c, n_p = m.shape
    if n_c < 2 or n_p < 2:
        raise _fail("ECI/PCI need at least two locations and two products", "too_small")
    k_c = m.sum(axis=1)
    k_p = m.sum(axis=0)
    if (k_c == 0).any():
        raise _fail(
            f"{int((k_c == 0).sum())} location(s) have no product with M_cp = 1", "zero_diversity"
        )
    if (k_p == 0).any():
        raise _fail(f"{int((k_p == 0).sum())} product(s) have no location with M_cp = 1", "zero_ubiquity")

    small_side_is_locations = n_c <= n_p
    if small_side_is_locations:
        a = m / np.sqrt(k_c)[:, None]  # D_c^-1/2 M
        s = (a / k_p[None, :]) @ a.T  # D_c^-1/2 M D_p^-1 M^T D_c^-1/2
    else:
        b = m / np.sqrt(k_p)[None, :]  # M D_p^-1/2
        s = (b.T / k_c[None, :]) @ b  # D_p^-1/2 M^T D_c^-1 M D_p^-1/2
    n = s.shape[0]
    vals, vecs = linalg.eigh(s, subset_by_index=[n - 2, n - 1])
    lam, lam1 = float(vals[0]), float(vals[1])
    if lam1 - lam < 1e-10 * max(lam1, 1.0):
        raise _fail(
            "the location-product network is disconnected: ECI/PCI are not defined", "disconnected"
        )
    if lam < 1e-10 * max(lam1, 1.0):
        raise _fail(
            "the locations' product mixes do not differ (the second eigenvalue is 0): ECI/PCI are "
            "not defined",
            "no_structure",
        )
    if small_side_is_locations:
        x = vecs[:, 0] / np.sqrt(k_c)
        y = (m.T @ x) / k_p
    else:
        y = vecs[:, 0] / np.sqrt(k_p)
        x = ((m @ y) / k_c) / lam
    sgn = _sign(x, k_c, y, k_p)
    x, y = sgn * x, sgn * y
    r = (m @ y) / k_c  # = lam * x
    mu, sd = r.mean(), r.std(ddof=ddof)
    eci = (r - mu) / sd
    if pci_normalisation == "eci":
        pci = (y - mu) / sd
    else:
        pci = (y - y.mean()) / y.std(ddof=ddof)
    return EciPci(eci=eci, pci=pci, eci_raw=x, pci_raw=y, eigenvalue=lam)
