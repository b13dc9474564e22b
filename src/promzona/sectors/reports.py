"""Sector exports: CSV at once; XLSX and PDF (charts, fonts, tables) built on the worker and
downloaded from their page when ready."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.types import Actor
from promzona.core.errors import InputError

from . import charts, exports, selectors
from .models import ReportJob

log = logging.getLogger(__name__)
S = ReportJob.Status
FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
#: Built reports are kept this long.
KEEP = dt.timedelta(days=1)


def reports_dir() -> Path:
    return Path(settings.PROMZONA_VAR_DIR) / "reports"


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


def report_start(*, actor: Actor, table: str, fmt: str, now: dt.datetime | None = None
                 ) -> ReportJob:
    """Queue the ``fmt`` export of ``table`` for ``actor``, in the active language."""
    from .tasks import report_build_task

    if table not in selectors.TABLES or fmt not in ("xlsx", "pdf"):
        raise InputError(_("Unknown report."))
    now = now or timezone.now()
    with transaction.atomic():
        job = ReportJob.objects.create(
            user=actor, table=table, fmt=fmt, created_at=now,
            language=translation.get_language() or settings.LANGUAGE_CODE)
        transaction.on_commit(lambda: report_build_task.enqueue(job.pk))
    return job


def report_build(job_id: int, *, now: dt.datetime | None = None) -> str:
    """Build a queued report once; its status. Reports older than :data:`KEEP` are removed."""
    now = now or timezone.now()
    job = ReportJob.objects.filter(pk=job_id, status=S.QUEUED).first()
    if job is None:
        return "taken"
    status, name, error = S.DONE, f"{job.pk}-{secrets.token_hex(8)}.{job.fmt}", ""
    try:
        with translation.override(job.language):
            body = render(job.table, job.fmt)
        folder = reports_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = folder / f"{name}.part"
        partial.write_bytes(body)
        partial.replace(folder / name)
    except Exception:  # reported on the page; the details go to the log
        log.exception("report %s failed", job_id)
        status, name, error = S.FAILED, "", _("The report could not be prepared.")
    if not ReportJob.objects.filter(pk=job_id, status=S.QUEUED).update(
            status=status, file=name, error=error, finished_at=now):
        if name:  # built meanwhile by another run
            (reports_dir() / name).unlink(missing_ok=True)
        return "taken"
    for old in ReportJob.objects.filter(created_at__lt=now - KEEP):
        if old.file:
            (reports_dir() / old.file).unlink(missing_ok=True)
        old.delete()
    return status
