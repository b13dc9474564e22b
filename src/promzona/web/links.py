"""Links to plots and zones that never break a page: a row whose code or slug cannot form a URL
(saved before codes were validated; ``promzona check --database default`` lists them) is shown
without a link."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_from_path, override


def _url(name: str, *args: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def passport_url(plot, zone=None) -> str:
    """The plot's passport page (``zone``: its zone, when already at hand), or "" when the zone
    slug or the code cannot form one."""
    return _url("web:passport", (zone or plot.zone).slug, plot.code)


def zone_url(zone) -> str:
    """The zone's page, or "" when its slug cannot form one."""
    return _url("web:zone", zone.slug)


def logo_url(branding) -> str:
    """The branding's logo (an address that changes with the logo), or "" without one."""
    return _url("brand-logo", branding.logo_sha) if branding and branding.logo_sha else ""


def localised(url: str, lang: str | None = None) -> str:
    """A path of this site (e.g. a notice's, stored in the default language) in ``lang`` (the
    current language): ``/match/?saved=3`` on an English page is ``/en/match/?saved=3``. A path
    that is no page of the site is returned as it is."""
    source = get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with override(source):
        return translate_url(url, lang or get_language())
