"""Sector exports: CSV at once; XLSX and PDF (charts, fonts, tables) built on the worker and
downloaded from their page when ready."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.models import Role
from promzona.accounts.types import Actor
from promzona.core.errors import InputError
from promzona.ops import reports as jobs
from promzona.ops.models import Report
from promzona.zones.selectors import data_version

from . import charts, exports, selectors


def illustrative_note() -> str:
    return _("Illustrative data: the Balkhash employment, purchases and hosting scores are "
             "invented for the demo, not official statistics.")


def render(table: str, fmt: str, *, sep: str | None = None) -> bytes:
    """The export of ``table`` as ``fmt``, in the active language; a CSV with the reader's
    separator ``sep`` (``comma`` or ``semicolon``; the language's by default)."""
    df, title, illustrative = selectors.export_table(table)
    note = illustrative_note() if illustrative else _(
        "Source: world trade 1998-2000 (R package economiccomplexity 2.0.0, Open Trade Statistics); "
        "computed by promzona.")
    headers = {c: str(selectors.COLUMNS[c][0]) for c in df.columns}
    digits = {c: selectors.COLUMNS[c][1] for c in df.columns}
    if fmt == "csv":
        separator, decimal = l10n.csv_style(sep)
        return exports.csv_bytes(df.rename(columns=headers), note=note, sep=separator,
                                 decimal=decimal)
    if fmt == "xlsx":
        return exports.xlsx_file(df.rename(columns=headers), title=title, note=note,
                                 digits={headers[c]: d for c, d in digits.items()})
    images = []
    if table == "kazakhstan":
        lang = translation.get_language() or settings.LANGUAGE_CODE
        cache = Path(settings.PROMZONA_VAR_DIR) / "cache" / "sectors"
        images = [charts.figure_png(name, lang, cache) for name in charts.RENDERERS]
    return exports.pdf_file(df, title=title, note=note, columns=selectors.PDF_COLUMNS[table],
                            images=images, digits=digits, headers=headers)


def _build(params: dict, fmt: str) -> bytes:
    return render(params["table"], fmt)


#: The sector tables as reports built on the worker (:mod:`promzona.ops.reports`); hosting
#: reads the zones' plots, so a report is rebuilt when they change.
KIND = jobs.Kind(build=_build, title=lambda p: _("Report %(table)s") % {"table": p["table"]},
                 filename=lambda p: f"promzona-{p['table']}",
                 version=lambda: data_version("zones"), roles=(Role.MANAGER, Role.STAFF),
                 back="sectors:index")


def report_start(*, actor: Actor, table: str, fmt: str, now: dt.datetime | None = None
                 ) -> Report:
    """Queue the ``fmt`` export of ``table`` for ``actor``, in the active language (or give
    the same one waiting or built from the same data); the format is checked by
    ``report_ask``."""
    if table not in selectors.TABLES:
        raise InputError(_("Unknown report."))
    return jobs.report_ask(actor=actor, kind="sectors", params={"table": table}, fmt=fmt,
                           now=now)
