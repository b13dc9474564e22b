"""What the import's dry run shows besides its table: a map of the rows (created, updated,
refused) over the zone, and the warning that a declared area differs from the computed one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shapely
from django.utils import formats, numberformat
from django.utils.translation import get_language, gettext

from promzona.core import geometry as geo
from promzona.web import maps
from promzona.zones.models import Plot

#: At most this many rows are drawn (the table lists them all).
MAX_PREVIEW_FEATURES = 5000


def drawable(g: Any) -> Any:
    """A row's geometry when there is one to draw (refused rows too), else ``None``."""
    ok = isinstance(g, shapely.Geometry) and g.geom_type != "GeometryCollection"
    return g if ok and not g.is_empty else None


def area_warner() -> Callable[[Any, float], list[str]]:
    """The warning (not refusal) that a plot's declared area differs from the computed one by
    more than 5% (the rule of :func:`promzona.core.geometry.area_mismatch`), as a function of
    the plot and the computed area; the text and the number format of the current language are
    looked up once, since an import warns on many rows."""
    template = gettext("the declared area %(declared)s ha differs from the computed %(computed)s "
                       "ha by %(percent)s%%")
    lang = get_language()
    seps = [formats.get_format(name, lang)
            for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")]

    def number(value: float, digits: int | None = None) -> str:  # formats.number_format
        return numberformat.format(value, seps[0], digits, seps[1], seps[2], use_l10n=True)

    def hectares(value: float) -> str:  # two decimals, four below one hectare
        digits = 2 if value >= 1 else 4
        return number(round(value, digits), digits)

    def warn(plot: Any, computed: float) -> list[str]:
        declared = float(plot.declared_area_ha) if plot.declared_area_ha is not None else None
        computed = float(computed)
        if not geo.area_mismatch(declared, computed):
            return []
        return [template % {"declared": hectares(declared), "computed": hectares(computed),
                            "percent": number(round(abs(declared - computed) / declared * 100))}]

    return warn


def preview_features(report: Any) -> dict[str, Any]:
    """The report's rows as GeoJSON for the preview map: code, action and whether it warns
    (text only; the page's script sets it as text)."""
    labels = {"create": gettext("create"), "update": gettext("update"),
              "refuse": gettext("refused")}
    features = []
    for r in report.rows:
        if r.shape is None or len(features) >= MAX_PREVIEW_FEATURES:
            continue
        features.append({
            "type": "Feature", "id": r.row, "geometry": geo.to_geojson(shapely.force_2d(r.shape)),
            "properties": {"code": r.key, "action": r.action, "label": labels[r.action],
                           "warn": bool(r.warnings)}})
    return {"type": "FeatureCollection", "features": features}


def preview_map(report: Any, *, zone: Any) -> dict[str, Any]:
    """What the preview map draws: the rows, the zone's plots as they are, and its base map."""
    plots = [] if zone is None else [
        {"type": "Feature", "id": p.pk, "geometry": p.geometry, "properties": {"code": p.code}}
        for p in Plot.objects.filter(zone=zone).only("pk", "code", "geometry")
        .order_by("code")[:MAX_PREVIEW_FEATURES]]
    zones = [zone] if zone is not None else []
    return {"rows": preview_features(report),
            "plots": {"type": "FeatureCollection", "features": plots},
            "base": maps.outlined_base(zones)}
