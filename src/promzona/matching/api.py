"""``POST /api/match``: an investor's needs in, ranked plots out (docs/matching.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from promzona.api.auth import Anonymous, TokenAuth
from promzona.api.schemas import json_body
from promzona.core.errors import InputError
from promzona.core.matching import Gap, MatchRequest, UtilityOption

from .answer import answer_json
from .selectors import match_for, sector_known
from .services import enquiry_record

router = Router(tags=["matching"])
#: A token identifies the caller; otherwise the session user set by Django's middleware (if any)
#: decides visibility. No session *auth* here: its CSRF check would refuse anonymous machine
#: clients, and a match changes nothing.
MATCH_AUTH = [TokenAuth(), Anonymous()]


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
    utilities: list[UtilityOption]
    gaps: list[Gap]
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


@router.post("", auth=MATCH_AUTH, response={200: MatchOut}, openapi_extra=json_body(MatchRequest))
def match_plots(request, page: Query[MatchPage]):
    """Rank the plots the caller may see for an investor's request, a page at a time.

    Every visible plot is either a result (it can serve the request, possibly later: the
    ``gaps`` say what must be built first and when) or excluded with its reasons:
    ``results_total + excluded_total`` is the number of visible plots. ``results`` is the page
    of ``limit`` results from rank ``offset`` + 1, ``excluded`` the page of ``excluded_limit``
    excluded plots from ``excluded_offset``; ``excluded_by_reason`` counts all the excluded
    plots by reason code (a plot may have several reasons).
    """
    # The body is read by the request's own parser, so a refusal names the field in our words
    # (400, as for the CLI and the form) rather than ninja's 422.
    req = MatchRequest.parse_json(request.body)
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
