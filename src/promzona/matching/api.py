"""``POST /api/match``: an investor's needs in, ranked plots out (docs/matching.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from promzona.api.auth import Anonymous, TokenAuth
from promzona.core.errors import InputError
from promzona.core.matching import MatchRequest

from .answer import answer_json
from .selectors import match_for, sector_known
from .services import enquiry_record

router = Router(tags=["matching"])
#: A token identifies the caller; otherwise the session user set by Django's middleware (if any)
#: decides visibility. No session *auth* here: its CSRF check would refuse anonymous machine
#: clients, and a match changes nothing.
MATCH_AUTH = [TokenAuth(), Anonymous()]


class AreaRange(Schema):
    min: float | None = None
    max: float | None = None


class Needs(Schema):
    power_kw: float = 0
    water_m3_day: float = 0
    sewage_m3_day: float = 0
    heat_gcal_h: float = 0
    gas_m3_h: float = 0


class MaxDistance(Schema):
    rail: float | None = None
    road: float | None = None
    airport: float | None = None


class Weights(Schema):
    cost: float | None = None
    time: float | None = None
    logistics: float | None = None
    sector: float | None = None
    anchor: float | None = None
    area: float | None = None


class AssumptionsIn(Schema):
    """How needs become an annual bill (defaults: 4,000 h, 4,800 h, 250 days, 5 years)."""

    operating_hours_per_year: float | None = None
    heating_hours_per_year: float | None = None
    working_days_per_year: float | None = None
    free_use_years: float | None = None


class MatchIn(Schema):
    sector: str
    area_ha: AreaRange | None = None
    needs: Needs | None = None
    rail_spur: bool = False
    hazard_class: int = 5
    max_distance_m: MaxDistance | None = None
    budget_kzt: float | None = None
    horizon_years: int = 10
    start_by: dt.date | None = None
    weights: Weights | None = None
    assumptions: AssumptionsIn | None = None


class UtilityOut(Schema):
    kind: str
    need: float
    unit: str
    line_id: int
    line_code: str
    line_status: Literal["existing", "under_construction", "planned"]
    source_id: int
    source_code: str
    source_name: str
    distance_m: float
    connection_cost_kzt: float
    free_now: float
    tariff_kzt: float
    annual_cost_kzt: float
    ready_on: dt.date


class GapOut(Schema):
    kind: str
    text: str
    resolved_on: dt.date | None


class CostBreakdown(Schema):
    land_kzt: float
    land_deal: Literal["lease", "purchase"]
    connections_kzt: float
    utilities_per_year_kzt: float
    utilities_kzt: float
    incentives_kzt: float
    horizon_years: int


class ResultOut(Schema):
    plot_id: int
    plot_code: str
    zone_id: int
    area_ha: float
    rank: int
    score: float
    cost_of_location_kzt: float
    cost_breakdown: CostBreakdown
    time_to_start_days: int
    start_on: dt.date
    utilities: list[UtilityOut]
    gaps: list[GapOut]
    criteria: dict[str, float]
    explanation: list[str]


class ReasonOut(Schema):
    code: str
    text: str


class ExcludedOut(Schema):
    plot_id: int
    reasons: list[ReasonOut]


#: The most results or excluded plots one answer carries; page with the offsets for more.
MAX_MATCH_PAGE = 1000


class MatchPage(Schema):
    limit: int = Field(50, ge=0, le=MAX_MATCH_PAGE,
                       description=f"Results in this answer (0–{MAX_MATCH_PAGE}).")
    offset: int = Field(0, ge=0, le=10**9, description="Results to skip (by rank).")
    excluded_limit: int = Field(50, ge=0, le=MAX_MATCH_PAGE,
                                description=f"Excluded plots in this answer (0–{MAX_MATCH_PAGE}).")
    excluded_offset: int = Field(0, ge=0, le=10**9, description="Excluded plots to skip.")


class MatchOut(Schema):
    results: list[ResultOut]
    excluded: list[ExcludedOut]
    results_total: int
    excluded_total: int
    excluded_by_reason: dict[str, int]
    limit: int
    offset: int
    excluded_limit: int
    excluded_offset: int


@router.post("", auth=MATCH_AUTH, response={200: MatchOut})
def match_plots(request, body: MatchIn, page: Query[MatchPage]):
    """Rank the plots the caller may see for an investor's request, a page at a time.

    Every visible plot is either a result (it can serve the request, possibly later: the
    ``gaps`` say what must be built first and when) or excluded with its reasons:
    ``results_total + excluded_total`` is the number of visible plots. ``results`` is the page
    of ``limit`` results from rank ``offset`` + 1, ``excluded`` the page of ``excluded_limit``
    excluded plots from ``excluded_offset``; ``excluded_by_reason`` counts all the excluded
    plots by reason code (a plot may have several reasons).
    """
    # The schema documents the body; the request's own parser decides, strictly: pydantic
    # would drop unknown keys (a misspelt "power_kW") and coerce "yes" to true.
    req = MatchRequest.parse(json.loads(request.body))
    if not sector_known(req.sector):
        raise InputError(f"Unknown sector {req.sector}: not in the OKED table.", field="sector")
    answer = answer_json(match_for(request.user, req, today=timezone.localdate()),
                         limit=page.limit, offset=page.offset,
                         excluded_limit=page.excluded_limit, excluded_offset=page.excluded_offset)
    enquiry_record(actor=request.user, request=req)
    # Serialised directly: re-validating up to 2,000 rows with pydantic costs more than the
    # match. A test validates the answer against the MatchOut schema instead.
    return HttpResponse(json.dumps(answer | page.dict(), ensure_ascii=False),
                        content_type="application/json")
