"""Whole public pages for anonymous readers, kept in the shared (database) cache so that every
app server agrees.

A page is cached under the version of the data the public pages show (the zones' and the
newsroom's: :func:`promzona.zones.selectors.data_version`), so any write shows at once, for
the day (what is stale or ready depends on it), and only until the next scheduled article
comes due. Anything per reader (a form's CSRF and fill-time tokens) stays out of the cached
bytes: the page holds a mark (:func:`mark`), filled in for every request. Signed-in users,
readers with a message waiting, and addresses with other query parameters than a short page
number always get a fresh render. No HTTP caching headers: a browser asks again each time, so
an unpublished article is gone on the next request.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from promzona.news.selectors import next_publication
from promzona.zones.selectors import data_version

SECONDS = 300
_PAGE_NUMBER = re.compile(r"\d{1,4}")


def mark(name: str) -> SafeString:
    """Where a per-request value goes: an HTML comment, which no escaped text a reader wrote
    can contain. ``name`` is ours (a word)."""
    return mark_safe(f"<!--promzona:{name}-->")  # noqa: S308 - our own constant


#: The CSRF token of the reader the page is served to.
CSRF = mark("csrf")


def cacheable(request: HttpRequest, params: tuple[str, ...] = ()) -> bool:
    """Whether ``request`` gets the page every anonymous reader gets."""
    return (request.method == "GET" and not request.user.is_authenticated
            and all(k in params and _PAGE_NUMBER.fullmatch(v) for k, v in request.GET.items())
            and not len(messages.get_messages(request)))


def serve(request: HttpRequest, render: Callable[[], HttpResponse], *,
          fill: dict[str, Callable[[], str]] | None = None,
          params: tuple[str, ...] = ()) -> HttpResponse:
    """``render()``'s response, from the cache for anonymous readers, with each mark of
    ``fill`` in it replaced by its function's value, computed for this request (:data:`CSRF`
    always). Only a 200 is cached."""
    fill = {CSRF: lambda: get_token(request), **(fill or {})}
    request.csrf_mark = True  # every form renders the mark (see :func:`context`)
    if not cacheable(request, params):
        return _filled(render(), fill)
    now = timezone.now()
    raw = "|".join([get_language(), request.scheme, request.get_host(), request.get_full_path(),
                    str(timezone.localdate(now)), data_version("zones", "news")])
    key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None and (hit[0] is None or now < hit[0]):
        return _filled(HttpResponse(hit[1]), fill)
    response = render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (next_publication(now), response.content), SECONDS)
    return _filled(response, fill)


def context(request: HttpRequest) -> dict:
    """Context processor: in a page :func:`serve` renders, ``{% csrf_token %}`` writes
    :data:`CSRF` (the reader's own token replaces it), never the first reader's token."""
    return {"csrf_token": CSRF} if getattr(request, "csrf_mark", False) else {}


def _filled(response: HttpResponse, fill: dict[str, Callable[[], str]]) -> HttpResponse:
    if response.streaming:
        return response
    content = response.content
    for where, value in fill.items():
        if where.encode() in content:
            content = content.replace(where.encode(), escape(value()).encode())
    response.content = content
    return response
