"""The match answer as JSON (docs/matching.md), with sentences in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from promzona import l10n
from promzona.core.matching import MatchOutcome, ResultRow


def result_json(row: ResultRow, outcome: MatchOutcome) -> dict[str, Any]:
    p = outcome.index.plots[outcome.index.plot_pos[row.plot_id]]
    return {
        "plot_id": row.plot_id, "plot_code": p.code, "zone_id": p.zone_id, "area_ha": p.area_ha,
        "rank": row.rank, "score": row.score,
        "cost_of_location_kzt": row.cost_of_location_kzt, "cost_breakdown": row.cost_breakdown,
        "time_to_start_days": row.time_to_start_days, "start_on": row.start_on.isoformat(),
        "utilities": [{
            "kind": u.kind, "need": u.need, "unit": u.unit, "line_id": u.line_id,
            "line_code": u.line_code, "line_status": u.line_status, "source_id": u.source_id,
            "source_code": u.source_code, "source_name": u.source_name,
            "distance_m": u.distance_m, "connection_cost_kzt": u.connection_cost_kzt,
            "free_now": u.free_now, "tariff_kzt": u.tariff_kzt,
            "annual_cost_kzt": u.annual_cost_kzt, "ready_on": u.ready_on.isoformat(),
        } for u in row.utilities],
        "gaps": [{"kind": g.kind, "text": g.text,
                  "resolved_on": g.resolved_on.isoformat() if g.resolved_on else None}
                 for g in row.gaps],
        "criteria": row.criteria,
        "explanation": row.explanation,
    }


def answer_json(outcome: MatchOutcome, *, limit: int | None = None, offset: int = 0,
                excluded_limit: int | None = None, excluded_offset: int = 0) -> dict[str, Any]:
    """A page of the ranked results and one of the excluded plots (all of both by default),
    with both totals and the exclusions counted by reason code, so every visible plot is
    accounted for: ``results_total + excluded_total`` plots."""
    lang = l10n.lang()
    return {
        "results": [result_json(r, outcome) for r in outcome.results(
            limit=limit, offset=offset, tr=gettext, lang=lang)],
        "excluded": [{"plot_id": e.plot_id,
                      "reasons": [{"code": r.code, "text": r.text} for r in e.reasons]}
                     for e in outcome.excluded(tr=gettext, limit=excluded_limit,
                                               offset=excluded_offset, lang=lang)],
        "results_total": int(outcome.ranked.size),
        "excluded_total": int(outcome.excluded_pos.size),
        "excluded_by_reason": outcome.reason_counts(),
    }
