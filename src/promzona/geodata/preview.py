"""What the import's dry run shows besides its table: a map of the rows (created, updated,
refused) over the zone, and the warning that a declared area differs from the computed one."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
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


def area_warnings(declared_ha: Sequence[Any], computed_ha: np.ndarray) -> list[list[str]]:
    """For each plot, the warning (not refusal) that its declared area (a Decimal or ``None``)
    differs from the computed one by more than 5% (the rule of
    :func:`promzona.core.geometry.area_mismatch`), in the current language. An import warns on
    many rows: the differences are found all at once and each number is formatted once."""
    declared = [None if d is None else float(d) for d in declared_ha]
    computed = np.asarray(computed_ha, dtype=float)
    flagged = geo.area_mismatches(declared, computed).tolist()
    template = gettext("the declared area %(declared)s ha differs from the computed %(computed)s "
                       "ha by %(percent)s%%")
    lang = get_language()
    seps = [formats.get_format(name, lang)
            for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")]

    @functools.cache
    def number(value: float, digits: int | None = None) -> str:  # formats.number_format
        return numberformat.format(value, seps[0], digits, seps[1], seps[2], use_l10n=True)

    def hectares(value: float) -> str:  # two decimals, four below one hectare
        digits = 2 if value >= 1 else 4
        return number(round(value, digits), digits)

    return [[template % {"declared": hectares(d), "computed": hectares(c),
                         "percent": number(round(abs(d - c) / d * 100))}] if flag else []
            for d, c, flag in zip(declared, computed.tolist(), flagged, strict=True)]


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
