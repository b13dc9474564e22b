"""The monthly report and the registers as reports built on the worker
(:mod:`promzona.ops.reports`): asked for from the dashboard, checked here before anything is
queued, built from the records as they stand when the worker runs, for the day asked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from promzona.accounts.models import Role
from promzona.accounts.types import Actor
from promzona.audit.models import AuditEntry
from promzona.core.errors import InputError, NotFound
from promzona.ops import reports as jobs
from promzona.ops.models import Report
from promzona.zones.models import Zone
from promzona.zones.selectors import data_version

from . import reports

ROLES = (Role.STAFF, Role.MANAGER)


def records_version() -> str:
    """The version of what the dashboard reads: the zones' data version (plots, sources) and
    the last audit entry (every service write of applications, projects, works and
    instructions writes one). Two primary-key reads."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return f"{data_version('zones')}:{last or 0}"


def _zone(slug: str | None) -> Zone | None:
    if not slug:
        return None
    zone = Zone.objects.filter(slug=slug).first()
    if zone is None:
        raise NotFound(_("No such zone."))
    return zone


def _scope(slug: str | None) -> str:
    """The name of the zone ``slug`` (all zones: None) for a report's title."""
    zone = Zone.objects.filter(slug=slug).first() if slug else None
    return zone.name if zone else _("All zones")


def _ask(actor: Actor, kind: str, params: dict[str, Any], fmt: str, lang: str,
         now: dt.datetime | None) -> Report:
    if lang not in dict(settings.LANGUAGES):
        raise InputError(_("No such language."), field="lang")
    with translation.override(lang):  # the format is checked by report_ask
        return jobs.report_ask(actor=actor, kind=kind, params=params, fmt=fmt, now=now)


def monthly_ask(*, actor: Actor, zone: Zone | None, year: int, month: int, fmt: str, lang: str,
                today: dt.date, now: dt.datetime | None = None) -> Report:
    """Queue the monthly report of ``zone`` (all zones: None) for ``year``-``month`` in
    ``lang`` as ``fmt`` (or give the same one waiting or built from the same records);
    :class:`InputError` for a month without a report, a language or format unknown."""
    reports.month_check(year, month, today=today)
    params = {"zone": zone.slug if zone else None, "year": year, "month": month,
              "today": today.isoformat()}
    return _ask(actor, "dashboard.monthly", params, fmt, lang, now)


def register_ask(*, actor: Actor, what: str, zone: Zone | None, fmt: str, lang: str,
                 today: dt.date, now: dt.datetime | None = None) -> Report:
    """Queue the register of plots or of applications (``what``) of ``zone`` as it stands on
    ``today``, in ``lang`` as ``fmt``."""
    if what not in reports.REGISTERS:
        raise InputError(_("No such register."), field="what")
    params = {"what": what, "zone": zone.slug if zone else None, "today": today.isoformat()}
    return _ask(actor, "dashboard.register", params, fmt, lang, now)


def _monthly(p: dict[str, Any], fmt: str) -> bytes:
    report = reports.monthly(zone=_zone(p["zone"]), year=p["year"], month=p["month"],
                             lang=translation.get_language(),
                             today=dt.date.fromisoformat(p["today"]))
    return reports.monthly_pdf(report) if fmt == "pdf" else reports.monthly_xlsx(report)


def _register(p: dict[str, Any], fmt: str) -> bytes:
    table = reports.REGISTERS[p["what"]](zone=_zone(p["zone"]),
                                         today=dt.date.fromisoformat(p["today"]))
    return reports.register_pdf(table) if fmt == "pdf" else reports.register_xlsx(table)


def _monthly_title(p: dict[str, Any]) -> str:
    return _("Monthly report: %(scope)s, %(month)s") % {
        "scope": _scope(p["zone"]), "month": f"{p['year']}-{p['month']:02d}"}


def _register_title(p: dict[str, Any]) -> str:
    if p["what"] == "plots":
        return _("Register of plots: %(scope)s") % {"scope": _scope(p["zone"])}
    return _("Register of applications: %(scope)s") % {"scope": _scope(p["zone"])}


MONTHLY = jobs.Kind(
    build=_monthly, title=_monthly_title, version=records_version, roles=ROLES,
    back="dashboard:index",
    filename=lambda p: f"promzona-{p['zone'] or 'all'}-{p['year']}-{p['month']:02d}")
REGISTER = jobs.Kind(
    build=_register, title=_register_title, version=records_version, roles=ROLES,
    back="dashboard:index",
    filename=lambda p: f"promzona-{p['what']}-{p['zone'] or 'all'}")
