"""JSON API: plots, zones, utility sources and lines as GeoJSON (docs/geodata.md), by visibility."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router

from promzona.api.auth import OPTIONAL_AUTH
from promzona.core.errors import NotFound

from . import features as feat

router = Router(tags=["geodata"])


def _collection(layer: str, request) -> HttpResponse:
    """The layer as GeoJSON text from the features' one encoder (no parse and re-encode)."""
    texts = feat.feature_texts(layer, feat.LAYERS[layer].queryset(request.user))
    return HttpResponse(feat.collection_text({"type": "FeatureCollection"}, texts),
                        content_type="application/json; charset=utf-8")


@router.get("/plots", auth=OPTIONAL_AUTH, summary="Plots the caller may see (GeoJSON)")
def plots(request):
    """Anonymous callers and investors see published plots; staff and managers see all."""
    return _collection("plots", request)


@router.get("/plots/{plot_id}", auth=OPTIONAL_AUTH, summary="One plot (GeoJSON Feature)")
def plot(request, plot_id: int):
    found = feat.features("plots", feat.LAYERS["plots"].queryset(request.user)
                         .filter(pk=plot_id))
    if not found:
        raise NotFound(f"No plot {plot_id}.")
    return found[0]


@router.get("/zones", auth=OPTIONAL_AUTH, summary="Zones with boundaries (GeoJSON)")
def zones(request):
    return _collection("zones", request)


@router.get("/utility-sources", auth=OPTIONAL_AUTH, summary="Utility sources (GeoJSON)")
def utility_sources(request):
    return _collection("utility-sources", request)


@router.get("/utility-lines", auth=OPTIONAL_AUTH, summary="Utility lines (GeoJSON)")
def utility_lines(request):
    return _collection("utility-lines", request)
