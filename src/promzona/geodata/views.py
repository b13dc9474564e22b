"""Thin views: OGC API Features under ``/ogc/``, the staff import page, export downloads."""

from __future__ import annotations

import json
from functools import wraps
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from promzona import l10n
from promzona.api.services import token_user
from promzona.core.numbers import whole_number

from . import features as feat
from . import ogc


def _wants_html(request) -> bool:
    f = request.GET.get("f")
    if f:
        return f == "html"
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept.split("text/html")[0]


def _caller(request):
    """The session user, or the user of a valid Bearer token; ``None`` for a bad token."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return token_user(header[7:].strip())
    return request.user


def _data_view(view):
    """A GET of the data: the caller resolved (a bad token is 401) and passed as ``user``."""

    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = _caller(request)
        if user is None:
            return _error(request, 401, _("A valid API token is required."))
        return view(request, *args, user=user, **kwargs)

    return wrapped


def _json(doc, content_type=ogc.JSON, status=200) -> HttpResponse:
    return HttpResponse(json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
                        content_type=f"{content_type}; charset=utf-8", status=status)


def _error(request, status: int, message: str) -> HttpResponse:
    if _wants_html(request):
        return render(request, "geodata/ogc.html",
                      {"title": _("Error"), "error": message}, status=status)
    return _json(ogc.exception(status, message), status=status)


def _shown(model, properties: dict) -> list[tuple[str, Any]]:
    """(label, value) of a feature's properties for a person: fields by their names in the
    page's language, coded values (status, kind…) by their labels, numbers and dates
    formatted; the JSON keeps the codes."""
    out = []
    for key, value in properties.items():
        try:
            f = model._meta.get_field(key)
        except FieldDoesNotExist:
            out.append((key, value))
            continue
        if f.choices and value is not None:
            value = dict(f.flatchoices).get(value, value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, int | float):
            value = l10n.num(value, 4, trim=True)
        out.append((str(f.verbose_name), value))
    return out


def _respond(request, doc, title: str, *, kind: str, content_type=ogc.JSON, extra=None):
    if request.GET.get("f") not in (None, "", "json", "html"):
        return _error(request, 400, _("f must be json or html."))
    if _wants_html(request):
        links = [{**link, "title": _(link["title"])} if link.get("title") else link
                 for link in doc.get("links", [])]
        return render(request, "geodata/ogc.html",
                      {"title": title, "doc": doc, "links": links, "kind": kind, **(extra or {})})
    return _json(doc, content_type)


def _base(request) -> str:
    return request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")


@require_GET
def landing(request):
    doc = ogc.landing(
        _base(request), title=_("promzona: industrial zones, plots and utilities"),
        description=_("OGC API – Features of the zones, plots, utility lines and sources."),
        api_url=request.build_absolute_uri("/api/openapi.json"),
    )
    return _respond(request, doc, doc["title"], kind="landing")


@require_GET
def conformance(request):
    return _respond(request, ogc.conformance(), _("Conformance"), kind="conformance")


def _collection_doc(request, base, layer: feat.Layer, user):
    return ogc.collection(base, layer.name, str(layer.title), str(layer.description),
                          feat.extent(layer.queryset(user)))


@_data_view
def collections(request, *, user):
    base = _base(request)
    doc = ogc.collections(base, [_collection_doc(request, base, layer, user)
                                 for layer in feat.LAYERS.values()])
    return _respond(request, doc, _("Collections"), kind="collections")


@_data_view
def collection(request, name: str, *, user):
    layer = feat.LAYERS.get(name)
    if layer is None:
        return _error(request, 404, _("No such collection."))
    doc = _collection_doc(request, _base(request), layer, user)
    return _respond(request, doc, doc["title"], kind="collection")


@_data_view
def items(request, name: str, *, user):
    layer = feat.LAYERS.get(name)
    if layer is None:
        return _error(request, 404, _("No such collection."))
    params = request.GET.dict()
    unknown = sorted(set(params) - ogc.ITEMS_PARAMETERS - set(layer.filters))
    if unknown:  # a misspelt filter must not quietly return everything
        return _error(request, 400, _("Unknown parameter %(names)s; this collection filters "
                                      "by %(filters)s.") % {
            "names": ", ".join(unknown)[:200], "filters": ", ".join(layer.filters) or "—"})
    try:
        limit = ogc.parse_limit(params.get("limit"))
        offset = ogc.parse_offset(params.get("offset"))
        bbox = ogc.parse_bbox(params.get("bbox"))
    except ogc.BadRequest as exc:
        return _error(request, 400, str(exc))
    if params.get("f") not in (None, "", "json", "html"):
        return _error(request, 400, _("f must be json or html."))
    qs = feat.apply_filters(layer, layer.queryset(user), params)
    if bbox:
        qs = feat.apply_bbox(qs, bbox)
    texts = feat.feature_texts(name, qs[offset:offset + limit])
    if 0 < len(texts) < limit or not (texts or offset):
        matched = offset + len(texts)  # the last page: no need to count
    else:
        matched = feat.count(qs)
    doc = ogc.items(_base(request), name, texts, matched=matched, limit=limit, offset=offset,
                    params=params, now=timezone.now())
    if not _wants_html(request):
        return HttpResponse(feat.collection_text(doc, texts),
                            content_type=f"{ogc.GEOJSON}; charset=utf-8")
    page = [json.loads(text) for text in texts]
    model = layer.queryset(user).model
    rows = [(f["id"], [v for _label, v in _shown(model, f["properties"])]) for f in page]
    columns = [label for label, _v in _shown(model, page[0]["properties"])] if page else []
    return _respond(request, {**doc, "features": page}, str(layer.title), kind="items",
                    extra={"columns": columns, "rows": rows, "layer": name})


@_data_view
def item(request, name: str, pk: str, *, user):
    layer = feat.LAYERS.get(name)
    pk_number = whole_number(pk)
    if layer is None or pk_number is None:
        return _error(request, 404, _("No such feature."))
    found = feat.features(name, layer.queryset(user).filter(pk=pk_number))
    if not found:
        return _error(request, 404, _("No such feature."))
    doc = ogc.item(_base(request), name, found[0])
    return _respond(request, doc, str(found[0]["properties"].get("code") or pk), kind="item",
                    content_type=ogc.GEOJSON,
                    extra={"layer": name,
                           "rows": _shown(layer.queryset(user).model, found[0]["properties"])})
