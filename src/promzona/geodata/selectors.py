"""Reads for export and the OGC API: each layer filtered by what the caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from promzona.core.errors import NotFound
from promzona.zones.models import Plot, UtilityLine, UtilitySource
from promzona.zones.selectors import plots_visible_to, zones_visible_to


def layer_objects(
    layer: str, *, user: Any, staff: bool = False, zone_slug: str | None = None
) -> QuerySet:
    """The objects of ``layer`` visible to ``user`` (``staff=True``: everything, for the CLI)."""
    if layer == "plots":
        qs = (Plot.objects.select_related("zone").prefetch_related("permitted_sectors")
              if staff else plots_visible_to(user))
        qs = qs.order_by("zone__slug", "code")
    elif layer == "zones":
        qs = zones_visible_to(user).order_by("slug")
    elif layer == "utility-sources":
        qs = UtilitySource.objects.select_related("zone").order_by("zone__slug", "code")
    elif layer == "utility-lines":
        qs = UtilityLine.objects.select_related("zone", "source").order_by("zone__slug", "code")
    else:
        raise NotFound(f"No layer {layer!s:.30}.")
    if zone_slug:
        qs = qs.filter(slug=zone_slug) if layer == "zones" else qs.filter(zone__slug=zone_slug)
    return qs

