"""OGC API – Features Part 1 Core documents, framework-free: plain data in, plain data out.

The Django views in :mod:`promzona.geodata.views` parse the request, pick the features with the
selectors and call these builders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from promzona.core.numbers import whole_number

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
MAX_OFFSET = 10**9
#: The query parameters of an items request besides the collection's property filters.
ITEMS_PARAMETERS = frozenset({"limit", "offset", "bbox", "bbox-crs", "datetime", "f", "crs"})


class BadRequest(ValueError):
    """A malformed parameter: answered with 400 and the OGC exception document."""


def parse_limit(value: str | None) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    number = whole_number(value)
    if not number:
        raise BadRequest("limit must be a positive whole number.")
    return min(number, MAX_LIMIT)


def parse_offset(value: str | None) -> int:
    if value in (None, ""):
        return 0
    number = whole_number(value, maximum=MAX_OFFSET)
    if number is None:
        raise BadRequest(f"offset must be a whole number from 0 to {MAX_OFFSET}.")
    return number


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``minlon,minlat,maxlon,maxlat`` in CRS84 (a 6-number 3D bbox uses its 2D part)."""
    if value in (None, ""):
        return None
    parts = value.split(",")
    if len(parts) not in (4, 6):
        raise BadRequest("bbox must have 4 numbers: minlon,minlat,maxlon,maxlat.")
    try:
        nums = [float(p) for p in parts]
    except ValueError as exc:
        raise BadRequest("bbox must have 4 numbers: minlon,minlat,maxlon,maxlat.") from exc
    if len(nums) == 6:
        nums = [nums[0], nums[1], nums[3], nums[4]]
    if any(n != n or abs(n) == float("inf") for n in nums) or nums[1] > nums[3]:
        raise BadRequest("bbox is not a valid box.")
    return nums[0], nums[1], nums[2], nums[3]


def gettext_noop(s: str) -> str:
    """Marks a link title for translation: JSON keeps English, the HTML pages translate."""
    return s


def _link(href: str, rel: str, type_: str, title: str = "") -> dict[str, str]:
    out = {"href": href, "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def landing(base: str, *, title: str, description: str, api_url: str) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "links": [
            _link(f"{base}?f=json", "self", JSON, gettext_noop("This document")),
            _link(f"{base}?f=html", "alternate", HTML, gettext_noop("This document as HTML")),
            _link(api_url, "service-desc", "application/vnd.oai.openapi+json;version=3.0",
                  gettext_noop("The API definition")),
            _link(f"{base}/conformance", "conformance", JSON, gettext_noop("Conformance classes")),
            _link(f"{base}/collections", "data", JSON, gettext_noop("Collections")),
        ],
    }


def conformance() -> dict[str, Any]:
    return {"conformsTo": CONFORMANCE}


def collection(base: str, name: str, title: str, description: str,
               bbox: list[float] | None) -> dict[str, Any]:
    url = f"{base}/collections/{name}"
    out: dict[str, Any] = {
        "id": name, "title": title, "description": description, "itemType": "feature",
        "crs": [CRS84],
        "links": [
            _link(url, "self", JSON, title),
            _link(f"{url}?f=html", "alternate", HTML, title),
            _link(f"{url}/items", "items", GEOJSON, title),
            _link(f"{url}/items?f=html", "items", HTML, title),
        ],
    }
    if bbox:
        out["extent"] = {"spatial": {"bbox": [bbox], "crs": CRS84}}
    return out


def collections(base: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "links": [_link(f"{base}/collections", "self", JSON),
                  _link(f"{base}/collections?f=html", "alternate", HTML)],
        "collections": items,
    }


def items(
    base: str, name: str, features: Sequence[Any], *, matched: int, limit: int,
    offset: int, params: dict[str, str], now: dt.datetime,
) -> dict[str, Any]:
    """A page of features (dicts, or their GeoJSON texts for ``features.collection_text``)
    with ``self``, ``alternate``, ``prev`` and ``next`` links."""
    url = f"{base}/collections/{name}/items"
    keep = {k: v for k, v in params.items() if k not in ("f", "offset", "limit")}

    def page(off: int, fmt: str = "json") -> str:
        return f"{url}?{urlencode({**keep, 'f': fmt, 'limit': limit, 'offset': off})}"

    links = [_link(page(offset), "self", GEOJSON), _link(page(offset, "html"), "alternate", HTML),
             _link(f"{base}/collections/{name}", "collection", JSON)]
    if offset + len(features) < matched:
        links.append(_link(page(offset + limit), "next", GEOJSON, gettext_noop("Next page")))
    if offset > 0:
        links.append(_link(page(max(0, offset - limit)), "prev", GEOJSON, gettext_noop("Previous page")))
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }


def item(base: str, name: str, feature: dict[str, Any]) -> dict[str, Any]:
    url = f"{base}/collections/{name}/items/{feature['id']}"
    return {**feature, "links": [
        _link(url, "self", GEOJSON), _link(f"{url}?f=html", "alternate", HTML),
        _link(f"{base}/collections/{name}", "collection", JSON),
    ]}


def exception(code: int, description: str) -> dict[str, Any]:
    return {"code": str(code), "description": description}
