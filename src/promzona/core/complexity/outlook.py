"""Complexity outlook index (COI) and complexity outlook gain (COG)."""

from __future__ import annotations

import numpy as np

from promzona.core.complexity._matrix import as_dense
from promzona.core.complexity.proximity import density as _density


def coi(m, phi, pci, *, density=None) -> np.ndarray:
    """Complexity outlook index (the Atlas 2014, technical box 5.3).

    ``COI_c = sum_p (1 - d_cp) (1 - M_cp) PCI_p``: the complexity of the products a location does
    not have yet, weighted by how close they are (density ``1 - d_cp``). Not re-normalised.
    ``density`` may be passed when already computed from the same ``m`` and ``phi``.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> coi(m, np.array([[1.0, 0.5], [0.5, 1.0]]), np.array([1.0, -1.0]))
    array([-0.33...,  0.33...])
    """
    m = as_dense(m)
    pci = np.asarray(pci, dtype=float)
    w = _density(m, phi) if density is None else np.asarray(density, dtype=float)
    return (w * (1.0 - m)) @ pci


def cog(m, phi, pci, *, variant: str = "atlas", density=None) -> np.ndarray:
    """Complexity outlook gain, zero where ``M_cp = 1``.

    ``variant="atlas"`` (the Atlas 2014, technical box 5.4)::

        COG_cp = (1 - M_cp) [ sum_p' phi_pp' / (sum_p'' phi_p''p') (1 - M_cp') PCI_p'
                              - (1 - d_cp) PCI_p ]

    the change in COI if the location added p (its gain on the neighbours minus the outlook it
    stops counting on p itself). With ``diagonal=0`` proximity it equals that change of
    :func:`coi` exactly. ``variant="growthlab"`` omits the second term, as the Growth Lab's
    ``ecomplexity`` and the R ``economiccomplexity`` packages do. ``density`` may be passed when
    already computed from the same ``m`` and ``phi``.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> cog(m, np.array([[0.0, 0.5], [0.5, 0.0]]), np.array([1.0, -1.0]))
    array([[ 0.,  1.],
           [-1.,  0.]])
    """
    if variant not in ("atlas", "growthlab"):
        raise ValueError("variant must be 'atlas' or 'growthlab'")
    m = as_dense(m)
    phi = as_dense(phi)
    pci = np.asarray(pci, dtype=float)
    s = phi.sum(axis=0)  # sum_p'' phi_p''p', one per p'
    w = np.divide(pci, s, out=np.zeros_like(pci), where=s > 0)
    gain = ((1.0 - m) * w[None, :]) @ phi.T  # [c, p] = sum_p' (1-M_cp') phi_pp' PCI_p' / s_p'
    if variant == "atlas":
        w_cp = _density(m, phi) if density is None else np.asarray(density, dtype=float)
        gain = gain - w_cp * pci[None, :]
    return (1.0 - m) * gain + 0.0  # + 0.0 turns -0.0 into 0.0
