"""The facts of a plot passport, laid out once: the page, the PDF and the comparison all show
:func:`passport_facts` and :func:`provenance_facts`, in the active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from promzona.zones.models import Plot

from .templatetags.portal import km, money


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    warning: str = ""  # shown beside the value (the page), after it (the PDF)

    @property
    def text(self) -> str:
        """Value and warning as one line of text."""
        return f"{self.value} ({self.warning})" if self.warning else self.value


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _offered(offered: bool, price) -> str:
    return money(price) if offered else _("not offered")


def passport_facts(plot: Plot) -> list[Fact]:
    """What the plot is and on which terms it is offered."""
    sectors = "; ".join(f"{s.code} {s.name}" for s in plot.permitted_sectors.all())
    return [
        Fact(_("Cadastral number"), plot.cadastral_number or "—"),
        Fact(_("Declared area, ha"), f"{plot.declared_area_ha:.4f}"),
        Fact(_("Computed area, ha"),
             "—" if plot.computed_area_ha is None else f"{plot.computed_area_ha:.4f}",
             _("differs from the declared area by more than 5%") if plot.area_mismatch else ""),
        Fact(_("Land category"), str(plot.get_land_category_display())),
        Fact(_("Permitted sectors"), sectors or _("any the zone allows")),
        Fact(_("Most hazardous class allowed"),
             f"{plot.hazard_class_max} ({_('classes')} {plot.hazard_class_max}–5)"),
        Fact(_("Ownership"), str(plot.get_ownership_display())),
        Fact(_("Lease, KZT/ha/year"), _offered(plot.deal_lease, plot.lease_price_kzt_ha_year)),
        Fact(_("Sale price, KZT"), _offered(plot.deal_sale, plot.sale_price_kzt)),
        Fact(_("Temporary free use"), _yes_no(plot.deal_free_use)),
        Fact(_("Rail spur"), _yes_no(plot.rail_spur)),
        Fact(_("Existing buildings"), plot.existing_buildings or "—"),
        Fact(_("Available from"), plot.available_from.isoformat() if plot.available_from else "—"),
        Fact(_("To rail, km"), km(plot.dist_rail_m)),
        Fact(_("To road, km"), km(plot.dist_road_m)),
        Fact(_("To airport, km"), km(plot.dist_airport_m)),
        Fact(_("To town centre, km"), km(plot.dist_town_centre_m)),
    ]


def provenance_facts(plot: Plot, *, today: dt.date) -> list[Fact]:
    """Where the passport's facts come from and when they were checked."""
    return [
        Fact(_("Source document"), plot.source_document or "—"),
        Fact(_("Verified by"), plot.verified_by or "—"),
        Fact(_("Verified on"), plot.verified_at.isoformat() if plot.verified_at else "—",
             _("needs re-verification") if plot.is_stale(today) else ""),
    ]
