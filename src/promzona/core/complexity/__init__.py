"""Economic complexity and relatedness: evidence for which sectors a place can grow.

Django-free, vectorised with numpy (inputs may be scipy.sparse matrices). Inputs are long tables
``location,product,value`` (pandas) or location x product matrices; outputs are arrays and plain
DataFrames. Locations and products are sorted by their label.

Conventions (each selectable where the reference implementations differ)
------------------------------------------------------------------------
RCA
    Balassa's index ``R_cp = (X_cp / X_c) / (X_p / X)``; for employment it is the location
    quotient. Population variant ``RPOP_cp = (X_cp / pop_c) / (X_p / sum pop)``.
M_cp
    1 when ``RCA >= threshold`` (default 1, ``>=`` as in R ``economiccomplexity`` and the
    reference data); ``presence="rpop"`` tests RPOP, ``"both"`` either.
Diversity, ubiquity
    ``k_c = sum_p M_cp``, ``k_p = sum_c M_cp``.
Proximity
    ``phi_pp' = sum_c M_cp M_cp' / max(k_p, k_p')`` (products; locations likewise). Diagonal:
    ``proximity_diagonal=1`` (default; the reference and ``ecomplexity``) or ``0`` (a product is
    not its own neighbour, changing density, COI and COG).
Density, distance
    ``w_cp = sum_p' M_cp' phi_pp' / sum_p' phi_pp'`` in [0, 1]; ``d_cp = 1 - w_cp``.
ECI, PCI
    Eigenvector of the second largest eigenvalue of ``D_c^-1 M D_p^-1 M^T``, solved via the
    similar symmetric matrix with ``scipy.linalg.eigh``; PCI_raw is the mean ECI_raw of the
    exporters. Sign: ECI correlates positively with diversity. Normalised as the Atlas and
    ``ecomplexity``: z-scores with the mean and standard deviation of ECI (``pci_normalisation=
    "eci"``, default, so that ECI = mean PCI of a location's products) or PCI's own
    (``"own"``); ``ddof=0`` (default, numpy/``ecomplexity``) or 1.
COI, COG
    The Atlas 2014: ``COI_c = sum_p w_cp (1 - M_cp) PCI_p`` with normalised PCI;
    ``COG_cp = (1 - M_cp)[sum_p' phi_pp'/sum_p'' phi_p''p' (1 - M_cp') PCI_p' - w_cp PCI_p]``
    (``cog_variant="atlas"``, the change of COI if p were added) or without the last term
    (``"growthlab"``: ``ecomplexity`` and R ``economiccomplexity``). COG is 0 where M_cp = 1.
    ``ecomplexity`` also feeds its *raw* PCI eigenvector into COI/COG before normalising and
    z-scores COI; the functions here take any PCI vector, so that convention can be reproduced.
Fitness-complexity
    Tacchella et al. 2012 as R ``economiccomplexity`` 2.0.0: from ones, 19 simultaneous updates
    ``F <- M Q``, ``Q <- 1 / (M^T (1 / F_prev))``, each normalised to mean 1; extremality 1.
Shift-share
    National growth ``E_i0 g``, industry mix ``E_i0 (g_i - g)``, regional shift the rest, so
    the three sum to the change exactly.

Bad input never yields a silent NaN: see :mod:`promzona.core.complexity._matrix` for the rules
(empty, missing, negative, duplicates, empty locations or products); ECI/PCI also refuse zero
diversity or ubiquity after the presence test and a disconnected network.
"""

from promzona.core.complexity._matrix import Matrix, from_long, from_matrix
from promzona.core.complexity.eci import EciPci, eci_pci
from promzona.core.complexity.fitness import fitness_complexity
from promzona.core.complexity.indicators import OPPORTUNITY_WEIGHTS, Indicators, compute_indicators
from promzona.core.complexity.measures import diversity, location_quotient, mcp, rca, rpop, ubiquity
from promzona.core.complexity.outlook import cog, coi
from promzona.core.complexity.proximity import density, distance, proximity
from promzona.core.complexity.shift_share import shift_share

__all__ = [
    "OPPORTUNITY_WEIGHTS",
    "EciPci",
    "Indicators",
    "Matrix",
    "coi",
    "cog",
    "compute_indicators",
    "density",
    "distance",
    "diversity",
    "eci_pci",
    "fitness_complexity",
    "from_long",
    "from_matrix",
    "location_quotient",
    "mcp",
    "proximity",
    "rca",
    "rpop",
    "shift_share",
    "ubiquity",
]
