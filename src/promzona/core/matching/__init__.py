"""Matching an investor's request against the plots: ranked results, exclusions with reasons.

Build a :class:`MatchIndex` once per dataset, then call :func:`match` per request; see
:mod:`promzona.core.matching.engine` for the rules; :func:`serving` is the choice for one plot.
"""

from .data import PlotColumns, PlotIn, SourceIn, UpgradeIn, ZoneIn
from .engine import CRITERIA_DOC, match, plot_options, serving
from .index import MatchIndex, sector_within
from .outcome import Excluded, Gap, MatchOutcome, Reason, ResultRow, UtilityOption
from .request import CRITERIA, DEFAULT_WEIGHTS, Assumptions, MatchRequest

__all__ = [
    "CRITERIA", "CRITERIA_DOC", "DEFAULT_WEIGHTS", "Assumptions", "Excluded", "Gap", "MatchIndex",
    "MatchOutcome", "MatchRequest", "PlotColumns", "PlotIn", "Reason", "ResultRow", "SourceIn", "UpgradeIn",
    "UtilityOption", "ZoneIn", "match", "plot_options", "sector_within", "serving",
]
