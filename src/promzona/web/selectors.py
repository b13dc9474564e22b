"""Reads for the public portal: filtered plot lists, passports, comparison, zone summaries.

Visibility always goes through :func:`promzona.zones.selectors.plots_visible_to`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from promzona import l10n
from promzona.core.errors import InputError, NotFound
from promzona.core.numbers import whole_number
from promzona.core.utilities import UTILITY_KINDS
from promzona.matching.selectors import plot_connection_options, plot_serving
from promzona.web.passport import passport_facts, provenance_facts
from promzona.zones import selectors as zsel
from promzona.zones.forms import SectorChoiceField
from promzona.zones.models import (
    InfrastructureProject,
    Plot,
    Sector,
    UtilityKindChoices,
    UtilityLine,
    UtilitySource,
    Zone,
)

MAX_COMPARE = 4
BIG = Decimal("1e12")


class PlotFilterForm(forms.Form):
    """The home page's filters; every field optional, all bounded."""

    area_min = forms.DecimalField(label=_("Area from, ha"), required=False, min_value=0,
                                  max_value=BIG, max_digits=16, decimal_places=4)
    area_max = forms.DecimalField(label=_("Area to, ha"), required=False, min_value=0,
                                  max_value=BIG, max_digits=16, decimal_places=4)
    sector = SectorChoiceField(label=_("Sector allowed"), required=False,
                               queryset=Sector.objects.all(), empty_label=_("any"))
    hazard_class = forms.TypedChoiceField(
        label=_("Hazard class of your production"), required=False, coerce=int, empty_value=None,
        choices=[("", _("any"))] + [(str(i), str(i)) for i in range(1, 6)])
    rail_spur = forms.BooleanField(label=_("Rail spur"), required=False)
    price_max = forms.DecimalField(label=_("Lease up to, KZT/ha/year"), required=False,
                                   min_value=0, max_value=BIG, max_digits=16, decimal_places=2)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("any"))] + [(s.value, s.label) for s in zsel.PUBLIC_PLOT_STATUSES])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for kind, label in UtilityKindChoices.choices:
            self.fields[f"free_{kind}"] = forms.DecimalField(
                label=_("Free %(kind)s at least") % {"kind": label}, required=False, min_value=0,
                max_value=BIG, max_digits=16, decimal_places=3)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lo, hi = data.get("area_min"), data.get("area_max")
        if lo is not None and hi is not None and lo > hi:
            raise forms.ValidationError(_("The minimum area is above the maximum."))
        return data

    def utility_fields(self):
        return [self[f"free_{k}"] for k in UTILITY_KINDS]


def parse_filters(params: Any) -> dict[str, Any]:
    """Validated filter values from a query dict; :class:`InputError` on anything bad."""
    form = PlotFilterForm(params)
    if not form.is_valid():
        field_name, messages = next(iter(form.errors.items()))
        label = form.fields[field_name].label if field_name in form.fields else ""
        raise InputError(f"{label}: {messages[0]}" if label else messages[0], field=field_name,
                         details=form.errors.get_json_data())
    return form.cleaned_data


def plots_filtered(user: Any, filters: dict[str, Any], *, today: dt.date) -> list[Plot]:
    """The plots ``user`` may see that pass ``filters`` (the output of :func:`parse_filters`)."""
    qs: QuerySet[Plot] = zsel.plots_visible_to(user).order_by("zone__slug", "code")
    if filters.get("area_min") is not None:
        qs = qs.filter(declared_area_ha__gte=filters["area_min"])
    if filters.get("area_max") is not None:
        qs = qs.filter(declared_area_ha__lte=filters["area_max"])
    if filters.get("sector") is not None:
        # An empty list of permitted sectors means any sector the zone allows.
        qs = qs.filter(Q(permitted_sectors=filters["sector"]) | Q(permitted_sectors__isnull=True))
    if filters.get("hazard_class") is not None:
        # A plot allows its class and every less hazardous one (higher number).
        qs = qs.filter(hazard_class_max__lte=filters["hazard_class"])
    if filters.get("rail_spur"):
        qs = qs.filter(rail_spur=True)
    if filters.get("price_max") is not None:
        qs = qs.filter(deal_lease=True, lease_price_kzt_ha_year__lte=filters["price_max"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    plots = list(qs.distinct())
    needs = {k: filters[f"free_{k}"] for k in UTILITY_KINDS if filters.get(f"free_{k}") is not None}
    if needs:
        plots = _serving(plots, needs, today=today)
    return plots


def _serving(plots: list[Plot], needs: dict[str, Decimal], *, today: dt.date) -> list[Plot]:
    """The plots whose serving source of each kind (the one a match of these needs quotes)
    has the free capacity asked for now."""
    wanted = {k: float(v) for k, v in needs.items()}

    def serves(plot: Plot) -> bool:
        chosen = plot_serving(plot, wanted, today=today)
        return all(k in chosen and chosen[k].free_now >= wanted[k] for k in wanted)

    return [p for p in plots if serves(p)]


def page_version() -> str:
    """The cache key part of :func:`promzona.zones.selectors.data_version`: pages cached under
    it show a change (a plot reserved, a line completed, capacity committed) at once."""
    return zsel.data_version()


def plot_by_code(user: Any, zone_slug: str, code: str) -> Plot:
    try:
        return zsel.plots_visible_to(user).get(zone__slug=zone_slug, code=code)
    except Plot.DoesNotExist as exc:
        raise NotFound(str(_("No such plot."))) from exc


@dataclass
class UtilityRow:
    kind: str
    kind_label: str
    unit: str
    status: str
    status_label: str
    line_code: str
    distance_m: float
    cost_kzt: float
    ready_on: dt.date
    source: UtilitySource | None
    serves: bool = False  # the option that serves the plot (the one a reservation commits on)
    upgrades: list[InfrastructureProject] = field(default_factory=list)


def plot_utilities(plot: Plot, *, today: dt.date) -> list[UtilityRow]:
    """The passport's utilities table: per kind every connection option (the nearest line of
    each source and status), the one that serves marked."""
    sources = {s.pk: s for s in zsel.sources_of_zone(plot.zone)}
    upgrades: dict[int, list[InfrastructureProject]] = {}
    for p in InfrastructureProject.objects.filter(
        zone=plot.zone, source__isnull=False,
        status__in=[InfrastructureProject.Status.PLANNED, InfrastructureProject.Status.IN_PROGRESS],
    ):
        upgrades.setdefault(p.source_id, []).append(p)
    rows = []
    status_labels = dict(UtilityLine.Status.choices)
    kind_labels = dict(UtilityKindChoices.choices)
    for kind, (options, chosen) in plot_connection_options(plot, today=today).items():
        for n, o in enumerate(options):
            rows.append(UtilityRow(
                kind=kind, kind_label=str(kind_labels[kind]), unit=o.unit,
                status=o.line_status, status_label=str(status_labels[o.line_status]),
                line_code=o.line_code, distance_m=o.distance_m, cost_kzt=o.connection_cost_kzt,
                ready_on=o.ready_on, source=sources.get(o.source_id), serves=n == chosen,
                upgrades=upgrades.get(o.source_id, []),
            ))
    order = list(UTILITY_KINDS)
    rows.sort(key=lambda r: (order.index(r.kind), not r.serves, r.distance_m))
    return rows


def plots_for_compare(user: Any, raw_ids: list[str]) -> list[Plot]:
    """2–4 plots by id, in the order given; :class:`InputError` / :class:`NotFound` otherwise."""
    ids: list[int] = []
    for raw in raw_ids:
        for part in str(raw).split(","):
            part = part.strip()
            if not part:
                continue
            number = whole_number(part, maximum=10**12)
            if number is None:
                raise InputError(str(_("Plot ids must be whole numbers.")), field="plots")
            if number not in ids:
                ids.append(number)
    if len(ids) < 2:
        raise InputError(str(_("Choose at least two plots to compare.")), field="plots")
    if len(ids) > MAX_COMPARE:
        raise InputError(str(_("At most %(n)d plots can be compared.") % {"n": MAX_COMPARE}),
                         field="plots")
    found = {p.pk: p for p in zsel.plots_visible_to(user).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(str(_("No such plot: %(ids)s.") % {"ids": ", ".join(map(str, missing))}))
    return [found[i] for i in ids]


@dataclass
class CompareRow:
    """One fact of the comparison: its label, one value per plot (a number, a date or text, as
    exports need them), the decimals its numbers are shown with and, where the passport writes
    them otherwise, the values as written."""

    label: str
    values: list[Any]
    digits: int = 0
    texts: list[str] | None = None

    @property
    def differs(self) -> bool:
        return len({str(v) for v in self.values}) > 1

    @property
    def shown(self) -> list[str]:
        """The values as the page's language writes them."""
        if self.texts is not None:
            return self.texts
        return [l10n.cell(v, self.digits) for v in self.values]


def compare_rows(plots: list[Plot], *, today: dt.date) -> list[CompareRow]:
    """The comparison table: the passport's facts of each plot (numbers, dates and flags as
    data, for the exports) and, per utility kind, the connection that serves (distance, cost,
    date)."""
    rows = [CompareRow(str(_("Zone")), [p.zone.name for p in plots]),
            CompareRow(str(_("Name")), [p.name for p in plots]),
            CompareRow(str(_("Status")), [str(p.get_status_display()) for p in plots])]
    facts = [passport_facts(p) + provenance_facts(p, today=today) for p in plots]
    for i, first in enumerate(facts[0]):
        rows.append(CompareRow(str(first.label), [f[i].raw for f in facts], first.digits,
                               [f[i].text for f in facts]))
    options = [plot_connection_options(p, today=today) for p in plots]
    for kind, label in UtilityKindChoices.choices:
        values = []
        for opts in options:
            found, chosen = opts.get(kind, ([], None))
            if chosen is None:
                values.append(str(_("no line")))
                continue
            c = found[chosen]
            values.append(str(_("%(m)s m · %(kzt)s KZT · ready %(date)s") % {
                "m": l10n.num(c.distance_m), "kzt": l10n.money(c.connection_cost_kzt),
                "date": l10n.day(c.ready_on)}))
        rows.append(CompareRow(str(_("%(kind)s: the connection that serves") % {"kind": label}),
                               values))
    return rows


@dataclass
class ZoneSummary:
    zone: Zone
    free_plots: int
    free_ha: Decimal
    free_by_kind: list[tuple[str, str, Decimal]]  # (label, unit, free)


def zone_summary(user: Any, zone: Zone) -> ZoneSummary:
    free = zsel.plots_visible_to(user).filter(zone=zone, status=Plot.Status.PUBLISHED)
    agg = free.aggregate(ha=Sum("declared_area_ha"))
    per_kind: dict[str, Decimal] = {}
    for s in zsel.sources_of_zone(zone):
        per_kind[s.kind] = per_kind.get(s.kind, Decimal(0)) + s.free
    labels = dict(UtilityKindChoices.choices)
    return ZoneSummary(
        zone=zone, free_plots=free.count(), free_ha=agg["ha"] or Decimal(0),
        free_by_kind=[(str(labels[k]), UTILITY_KINDS[k].unit, per_kind.get(k, Decimal(0)))
                      for k in UTILITY_KINDS],
    )
