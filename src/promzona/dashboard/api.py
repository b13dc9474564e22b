"""``GET /api/kpi``: the dashboard's figures for a zone or all zones on a day (docs/dashboard.md). Thin:
parse, call the selector, render with :func:`kpi_json`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from promzona.api.auth import REQUIRED_AUTH
from promzona.api.schemas import ERRORS
from promzona.core.errors import Forbidden
from promzona.core.strict import IsoDate
from promzona.zones.selectors import can_see_unpublished

from . import selectors
from .contract import kpi_json

router = Router(tags=["dashboard"], auth=REQUIRED_AUTH)


class KpiOut(Schema):
    """The figures (docs/dashboard.md defines each); more keys may be added, none removed."""

    zone: str | None = Field(..., description="The zone's slug; null: all zones.")
    as_of: dt.date
    plots: dict[str, Any]
    occupancy_share: float
    capacity: list[dict[str, Any]]
    investment_kzt: dict[str, Any]
    jobs: dict[str, Any]
    instructions: dict[str, Any]
    works: dict[str, Any]
    funnel: dict[str, Any]


@router.get("/kpi", response={200: KpiOut, **ERRORS})
def kpi_figures(request, zone: str | None = None, as_of: IsoDate | None = None):
    """The dashboard's figures of the zone ``zone`` (a slug; omitted: all zones) at the end of
    ``as_of`` (``YYYY-MM-DD``, 2000 to today; omitted: today). Staff and managers only."""
    if not can_see_unpublished(request.auth):
        raise Forbidden(_("Only zone office staff and managers see the dashboard."))
    scope, day = selectors.scope_and_day(zone, as_of, today=timezone.localdate())
    board = selectors.board(zone=scope, day=day)
    return kpi_json(board.figures, zone=scope.slug if scope else None, bodies=board.bodies)
