"""Whole public pages for anonymous readers, kept in the shared (database) cache so that every
app server agrees.

A page is cached under the version of the data the public pages show (the zones' and the
newsroom's: :func:`promzona.zones.selectors.data_version`), so any write shows at once, and
only until the next scheduled article comes due. Anything per reader (a form with its CSRF and
fill-time tokens) stays out of the cached bytes: the page holds a placeholder, filled in for
every request. Signed-in users, readers with a message waiting, and addresses with other
query parameters than a short page number always get a fresh render.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from promzona.news.selectors import next_publication
from promzona.zones.selectors import data_version

SECONDS = 300
#: Where a page's per-request part goes (an HTML comment, so nothing a reader can type).
FILL = mark_safe("<!--promzona:per-request-->")  # noqa: S308 - a constant
_PAGE_NUMBER = re.compile(r"\d{1,4}")


def cacheable(request: HttpRequest, params: tuple[str, ...] = ()) -> bool:
    """Whether ``request`` gets the page every anonymous reader gets."""
    return (request.method == "GET" and not request.user.is_authenticated
            and all(k in params and _PAGE_NUMBER.fullmatch(v) for k, v in request.GET.items())
            and not len(messages.get_messages(request)))


def serve(request: HttpRequest, render: Callable[[], HttpResponse], *,
          fill: Callable[[], str] | None = None, params: tuple[str, ...] = ()) -> HttpResponse:
    """``render()``'s response, from the cache for anonymous readers; :data:`FILL` in it is
    replaced by ``fill()`` (rendered for each request). Only a 200 is cached."""
    if not cacheable(request, params):
        return _filled(render(), fill)
    now = timezone.now()
    raw = "|".join([get_language(), request.scheme, request.get_host(), request.get_full_path(),
                    data_version("zones", "news")])
    key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None and (hit[0] is None or now < hit[0]):
        return _filled(HttpResponse(hit[1]), fill)
    response = render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (next_publication(now), response.content), SECONDS)
    return _filled(response, fill)


def _filled(response: HttpResponse, fill: Callable[[], str] | None) -> HttpResponse:
    mark = FILL.encode()
    if fill is not None and not response.streaming and mark in response.content:
        response.content = response.content.replace(mark, str(fill()).encode(), 1)
    return response
