"""Zones, plots (the site passport), utility sources with a capacity ledger, lines, projects.

Geometry is GeoJSON in WGS 84 plus a bounding box for coarse filtering; see
:mod:`promzona.core.geometry`. Derived fields (bbox, computed area, distances) are filled by the
services in :mod:`promzona.zones.services`, not by ``save()``.
"""

from .base import GeoFeature, Translated
from .plots import Plot
from .utilities import (
    NEED_LABELS,
    CapacityCommitment,
    InfrastructureProject,
    UtilityKindChoices,
    UtilityLine,
    UtilitySource,
)
from .version import DataVersion
from .zones import AnchorEnterprise, MapFeature, PriorityDirection, Sector, Zone

__all__ = [
    "NEED_LABELS", "AnchorEnterprise", "CapacityCommitment", "DataVersion", "GeoFeature",
    "InfrastructureProject", "MapFeature", "Plot", "PriorityDirection", "Sector", "Translated",
    "UtilityKindChoices", "UtilityLine", "UtilitySource", "Zone",
]
