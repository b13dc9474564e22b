"""``promzona match REQUEST.json [--json]``: rank the published plots for a request."""

from __future__ import annotations

import json

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from promzona import l10n
from promzona.commands import PromzonaCommand
from promzona.core.errors import PromzonaError
from promzona.core.matching import MatchRequest
from promzona.zones.models import UtilityKindChoices

from ...answer import answer_json
from ...selectors import match_for, sector_known

MAX_BYTES = 1_000_000
YEARS = range(1900, 2201)  # --today: the engine adds years of lead time; year 9999 would overflow


class Command(PromzonaCommand):
    help = "Match an investor's request (JSON, as for POST /api/match) against the published plots."

    def add_arguments(self, parser):
        parser.add_argument("request", help="JSON file with the request ('-' for standard input)")
        parser.add_argument("--json", action="store_true", help="print the API answer as JSON")
        parser.add_argument("--top", type=int, default=10, help="rows in the table (default 10)")
        parser.add_argument("--today", help="date to match on (YYYY-MM-DD; default today)")

    def handle(self, *args, **opts):
        path = opts["request"]
        try:
            raw = self.stdin_read() if path == "-" else self.file_read(path)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if len(raw) > MAX_BYTES:
            raise CommandError(f"{path} is larger than {MAX_BYTES:,} bytes.")
        try:
            req = MatchRequest.parse_json(raw)
            today = timezone.localdate()
            if opts["today"]:
                today = timezone.datetime.fromisoformat(opts["today"]).date()
        except PromzonaError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        if today.year not in YEARS:
            raise CommandError(f"--today: {today} is outside the years {YEARS[0]}..{YEARS[-1]}.")
        if not sector_known(req.sector):
            raise CommandError(f"Unknown sector {req.sector}: not in the OKED table.")
        outcome = match_for(AnonymousUser(), req, today=today)
        if opts["json"]:
            self.stdout.write(json.dumps(answer_json(outcome), ensure_ascii=False, indent=1))
            return
        self._table(outcome, opts["top"])

    def stdin_read(self) -> bytes:
        import sys

        return sys.stdin.buffer.read(MAX_BYTES + 1)

    def file_read(self, path: str) -> bytes:
        with open(path, "rb") as f:
            return f.read(MAX_BYTES + 1)

    def _table(self, outcome, top: int) -> None:
        from rich.console import Console
        from rich.table import Table

        ix = outcome.index
        lang = l10n.lang()
        kinds = dict(UtilityKindChoices.choices)
        console = Console(file=self.stdout, width=150, highlight=False)
        rows = outcome.results(limit=max(top, 0), tr=_, lang=lang)
        table = Table(title=_("%(n)s plots can serve the request; %(m)s left out") % {
            "n": len(outcome.result_ids), "m": len(outcome.excluded_pos)})
        right = {"justify": "right"}
        for col, kw in (("#", right), (_("plot"), {}), (_("score"), right),
                        (_("cost of location, KZT"), right), (_("start"), {}),
                        (_("utilities"), {}), (_("gaps"), {})):
            table.add_column(col, **kw)
        for r in rows:
            p = ix.plots[ix.plot_pos[r.plot_id]]
            table.add_row(
                str(r.rank), f"{p.code} ({l10n.qty(p.area_ha, 'ha', digits=2)})",
                l10n.num(r.score, 1), l10n.money(r.cost_of_location_kzt),
                f"{l10n.day(r.start_on)} ("
                + ngettext("in %(d)s day", "in %(d)s days", r.time_to_start_days)
                % {"d": r.time_to_start_days} + ")",
                "\n".join(f"{kinds[u.kind]}: {u.line_code}/{u.source_code} "
                          f"{l10n.num(u.distance_m)}\xa0{pgettext('unit', 'm')}, "
                          f"{l10n.money(u.connection_cost_kzt)} {_('KZT')}" for u in r.utilities),
                "\n".join(g.text for g in r.gaps),
            )
        console.print(table)
        for e in outcome.excluded(tr=_, lang=lang)[: max(top, 0)]:
            p = ix.plots[ix.plot_pos[e.plot_id]]
            console.print(_("left out %(plot)s: %(reasons)s") % {
                "plot": p.code, "reasons": "; ".join(x.text for x in e.reasons)})

