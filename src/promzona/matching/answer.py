"""The match answer as JSON (docs/matching.md), with sentences in the active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext

from promzona import l10n
from promzona.core.matching import MatchOutcome, ResultRow


def _plain(row: Any) -> dict[str, Any]:
    """A row of the outcome (a dataclass the API documents as it is) as JSON values."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in asdict(row).items()}


def result_json(row: ResultRow, outcome: MatchOutcome) -> dict[str, Any]:
    p = outcome.index.plots[outcome.index.plot_pos[row.plot_id]]
    return {
        "plot_id": row.plot_id, "plot_code": p.code, "zone_id": p.zone_id, "area_ha": p.area_ha,
        "rank": row.rank, "score": row.score,
        "cost_of_location_kzt": row.cost_of_location_kzt, "cost_breakdown": row.cost_breakdown,
        "time_to_start_days": row.time_to_start_days, "start_on": row.start_on.isoformat(),
        "utilities": [_plain(u) for u in row.utilities],
        "gaps": [_plain(g) for g in row.gaps],
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
