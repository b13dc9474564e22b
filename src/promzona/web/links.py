"""Links to plots and zones that never break a page: a row whose code or slug cannot form a URL
(saved before codes were validated; ``promzona check --database default`` lists them) is shown
without a link."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


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
