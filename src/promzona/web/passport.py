"""The facts of a plot passport, laid out once: the page, the PDF and the comparison all show
:func:`passport_facts` and :func:`provenance_facts`, in the active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from promzona import l10n
from promzona.zones.models import Plot, Zone


@dataclass(frozen=True)
class Fact:
    """One fact: its ``label``, its ``raw`` value (a number, date, flag or text: what exports
    write in a cell) and the ``digits`` its number is shown with."""

    label: str
    raw: Any
    digits: int = 0
    warning: str = ""  # shown beside the value (the page), after it (the PDF)
    shown: str | None = None  # the value as written, where it is not ``raw`` as a cell

    @property
    def value(self) -> str:
        """The value as the page's language writes it."""
        return self.shown if self.shown is not None else l10n.cell(self.raw, self.digits)

    @property
    def text(self) -> str:
        """Value and warning as one line of text."""
        return f"{self.value} ({self.warning})" if self.warning else self.value


def _offered(label: str, offered: bool, price) -> Fact:
    if not offered:
        return Fact(label, _("not offered"))
    return Fact(label, price, shown=l10n.money(price))


def _km(metres: float | None) -> float | None:
    return None if metres is None else round(metres / 1000, 1)


def key_facts(plot: Plot) -> list[Fact]:
    """The passport's facts a commercial offer repeats: area, hazard class, rail spur."""
    return [
        Fact(_("Declared area, ha"), plot.declared_area_ha, 4),
        Fact(_("Most hazardous class allowed"), plot.hazard_class_max,
             shown=_("%(max)s (classes %(max)s–5)") % {"max": plot.hazard_class_max}),
        Fact(_("Rail spur"), plot.rail_spur),
    ]


def passport_facts(plot: Plot) -> list[Fact]:
    """What the plot is and on which terms it is offered."""
    sectors = "; ".join(f"{s.code} {s.name}" for s in plot.permitted_sectors.all())
    area, hazard, rail = key_facts(plot)
    return [
        Fact(_("Cadastral number"), plot.cadastral_number or "—"),
        area,
        Fact(_("Computed area, ha"), plot.computed_area_ha, 4,
             _("differs from the declared area by more than 5%") if plot.area_mismatch else ""),
        Fact(_("Land category"), str(plot.get_land_category_display())),
        Fact(_("Permitted sectors"), sectors or _("any the zone allows")),
        hazard,
        Fact(_("Ownership"), str(plot.get_ownership_display())),
        _offered(_("Lease, KZT/ha/year"), plot.deal_lease, plot.lease_price_kzt_ha_year),
        _offered(_("Sale price, KZT"), plot.deal_sale, plot.sale_price_kzt),
        Fact(_("Temporary free use"), plot.deal_free_use),
        rail,
        Fact(_("Existing buildings"), l10n.noted(plot, "existing_buildings") or "—"),
        Fact(_("Available from"), plot.available_from),
        Fact(_("To rail, km"), _km(plot.dist_rail_m), 1),
        Fact(_("To road, km"), _km(plot.dist_road_m), 1),
        Fact(_("To airport, km"), _km(plot.dist_airport_m), 1),
        Fact(_("To town centre, km"), _km(plot.dist_town_centre_m), 1),
    ]


def provenance_facts(plot: Plot, *, today: dt.date) -> list[Fact]:
    """Where the passport's facts come from and when they were checked."""
    return [
        Fact(_("Source document"), l10n.noted(plot, "source_document") or "—"),
        Fact(_("Verified by"), l10n.noted(plot, "verified_by") or "—"),
        Fact(_("Verified on"), plot.verified_at, 0,
             _("needs re-verification") if plot.is_stale(today) else ""),
    ]


def contact_rows(zone: Zone) -> list[list[str]]:
    """The zone's contacts as (label, value) rows, those it has: for the passport PDF and the
    commercial offer."""
    rows = [[_("Management company"), l10n.noted(zone, "management_company")],
            [_("Contact person"), l10n.noted(zone, "contact_name")],
            [_("Phone"), zone.contact_phone], [_("Email"), zone.contact_email],
            [_("Address"), l10n.noted(zone, "contact_address")], [_("Website"), zone.website]]
    return [[label, value] for label, value in rows if value]
