"""Reads for the dashboard: the figures of the zones on any day.

The figures of a day are computed from the records that carry dates (:mod:`.records`;
docs/dashboard.md, "Any past day"); the only ones stored are the month-end
:class:`~.models.Snapshot` rows of the trend charts (``promzona snapshot``, read by
:func:`trend_points`), and :func:`board` keeps a scope's figures in the cache under the newest
audit entry. :func:`figures` evaluates one day and one zone (or all) with
:mod:`promzona.core.kpi`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from promzona.audit.models import AuditEntry
from promzona.columns import paused_collector
from promzona.core import kpi
from promzona.core.deadlines import month_ends
from promzona.core.errors import NotFound
from promzona.works.inputs import day as checked_day
from promzona.zones.models import Zone

from .models import Snapshot
from .records import Records, gather, split


def scope_and_day(slug: str | None, as_of: dt.date | None, *, today: dt.date
                  ) -> tuple[Zone | None, dt.date]:
    """The zone of ``slug`` (``None``: all zones; :class:`NotFound` for an unknown one) and the
    day asked for (``None``: today; :class:`InputError` before 2000 or after today)."""
    zone = None
    if slug is not None:
        zone = Zone.objects.filter(slug=slug[:50]).first()
        if zone is None:
            raise NotFound(_("No such zone."))
    return zone, today if as_of is None else checked_day(as_of, "as_of", latest=today)


def figures(records: Records, day: dt.date, zone_id: int | None = None) -> kpi.Figures:
    """Every figure of one zone (or of all, ``zone_id=None``) at the end of ``day``."""
    def mine(z: int | None) -> bool:
        return zone_id is None or z == zone_id

    return kpi.Figures(
        as_of=day, land=kpi.land((s, n, a) for z, s, n, a in records.plots.get(day, ()) if mine(z)),
        sources=tuple(s for z, s in records.sources.get(day, ()) if mine(z)),
        funnel=kpi.funnel([j for z, _pk, j in records.journeys if mine(z)],
                          enquiries=records.enquiries if zone_id is None else None, as_of=day),
        investment=kpi.investment(m for z, _pk, m in records.projects.get(day, ()) if mine(z)),
        works=kpi.works(w for z, _pk, w in records.works.get(day, ()) if mine(z)),
        instructions=kpi.instructions(
            (i for zs, _pk, i in records.instructions.get(day, ())
             if zone_id is None or zone_id in zs), today=day),
    )


@dataclass(frozen=True)
class Board:
    """What the dashboard shows for a scope and a day: its figures, each zone's (for all
    zones), and the names of the bodies the instructions' figures refer to."""

    figures: kpi.Figures
    zones: tuple[tuple[Zone, kpi.Figures], ...]
    bodies: dict[int, str]


#: Seconds a board is kept; any change of the data (a new audit entry) makes a new one anyway.
CACHE_SECONDS = 600


@paused_collector()
def board(*, zone: Zone | None, day: dt.date, per_zone: bool = False) -> Board:
    """The figures of ``zone`` (or all zones, with each zone's when ``per_zone``) on ``day``,
    kept in the cache under the newest audit entry (every service that changes what the figures
    read writes one, in its transaction), the day and the language of the names."""
    version = AuditEntry.objects.aggregate(newest=Max("id"))["newest"]
    key = "dashboard:" + hashlib.sha1(  # noqa: S324 - a cache key, not security
        f"{zone.pk if zone else ''}|{day}|{per_zone}|{get_language()}|{version}"
        .encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    records = gather(days=[day], zone=zone)
    zone_id = zone.pk if zone else None
    zones = ()
    if per_zone and zone is None:
        parts = split(records, day)
        zones = tuple((records.zones[pk], figures(part, day, pk))
                      for pk, part in sorted(parts.items(), key=lambda i: records.zones[i[0]].slug))
    found = Board(figures(records, day, zone_id), zones, records.bodies)
    cache.set(key, found, CACHE_SECONDS)
    return found


#: How many month ends the trend charts show before the day asked for.
TREND_MONTHS = 12


def trend_points(*, zone: Zone | None, day: dt.date, current: dict) -> list[tuple[dt.date, dict]]:
    """The trend: the stored snapshots of the month ends before ``day`` (``promzona snapshot``
    stores them nightly), then ``current`` (the figures of ``day`` as ``/api/kpi`` gives them).
    Month ends without a snapshot are left out."""
    ends = month_ends(day, TREND_MONTHS)[:-1]
    stored = dict(Snapshot.objects.filter(day__in=ends, zone=zone).values_list("day", "figures"))
    return [(d, stored[d]) for d in ends if d in stored] + [(day, current)]
