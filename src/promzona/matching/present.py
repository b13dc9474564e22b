"""The match page's result cards and near misses: the engine's answer laid out for people.

Nothing here decides anything: the figures come from the engine's result rows
(:mod:`promzona.core.matching.cards`), the near misses from its exclusions
(:mod:`promzona.core.matching.near`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from promzona.core.matching import MatchOutcome
from promzona.core.matching.cards import cost_bar, timeline
from promzona.core.matching.near import apply_patch, near_misses
from promzona.core.matching.text import TEXT
from promzona.zones.models import Plot

from .forms import MatchForm

NEAR_SHOWN = 10
#: The rows of the readiness timeline.
TRACK_LABELS = {
    "procedure": _("Administrative procedure"), "plot": _("Plot available"),
    "power": _("Power"), "water": _("Water"), "sewage": _("Sewage"), "heat": _("Heat"),
    "gas": _("Gas"),
}


def cards(outcome: MatchOutcome, results: list[dict[str, Any]], *, today: dt.date) -> None:
    """Add to each result of the answer its cost bar, its readiness timeline and whether its
    start is later than the desired one."""
    ix, start_by = outcome.index, outcome.request.start_by
    for r in results:
        plot = ix.plots[ix.plot_pos[r["plot_id"]]]
        zone = ix.zones[ix.zone_pos[plot.zone_id]]
        ready = {"procedure": today + dt.timedelta(days=zone.admin_procedure_days)}
        if plot.available_from and plot.available_from > today:
            ready["plot"] = plot.available_from
        for u in r["utilities"]:
            ready[u["kind"]] = dt.date.fromisoformat(u["ready_on"])
        start_on = dt.date.fromisoformat(r["start_on"])
        r["bar"] = cost_bar(r["cost_breakdown"])
        r["timeline"] = timeline(today=today, start_on=start_on, ready=ready, start_by=start_by)
        via = {u["kind"]: " · ".join((u["line_code"], gettext(TEXT[f"status_{u['line_status']}"]),
                                      u["source_code"])) for u in r["utilities"]}
        r["tracks"] = [(str(TRACK_LABELS[t.key]), via.get(t.key, ""), t)
                       for t in r["timeline"].tracks]
        r["late"] = bool(start_by and start_on > start_by)


def near_miss_rows(outcome: MatchOutcome, form: MatchForm) -> list[dict]:
    """The near misses with their plot and, where the investor can change the request, the
    query of the search that lets the plot in."""
    body = form.request_json()
    found = near_misses(outcome, limit=NEAR_SHOWN, tr=gettext, lang=get_language() or "ru")
    plots = Plot.objects.select_related("zone").in_bulk([n.plot_id for n in found])
    return [{"near": n, "plot": plots[n.plot_id], "query": urlencode(MatchForm.initial_from(
        apply_patch(body, n.patch))) if n.patch else ""} for n in found]
