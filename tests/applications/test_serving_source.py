"""The source a match quotes for a plot is the source its reservation commits capacity on."""

from __future__ import annotations

import pytest
from django.db import transaction

from promzona.applications import services
from promzona.core.errors import CapacityExceeded
from promzona.core.matching import MatchRequest
from promzona.core.utilities import NEED_KEYS
from promzona.matching.selectors import match_for
from promzona.zones.models import CapacityCommitment, Plot

from .conftest import make_application

#: One need at a time, each of a size the demo's sources can serve (gas only after an upgrade).
NEEDS = {"power_kw": 200, "water_m3_day": 20, "sewage_m3_day": 10, "heat_gcal_h": 1,
         "gas_m3_h": 50}


def test_every_demo_plot_and_need_commits_on_the_quoted_source(users, demo, today):
    checked = refused = 0
    plots = Plot.objects.filter(zone=demo, status=Plot.Status.PUBLISHED).order_by("code")
    sectors = {p.pk: (p.permitted_sectors.first() or p.zone.priority_sectors.first()).code
               for p in plots}
    for key, amount in NEEDS.items():
        kind = NEED_KEYS[key]
        app = make_application(users["a"], needs={key: amount})
        quoted = {}
        for sector in set(sectors.values()):  # a sector each plot permits: none excluded by it
            request = MatchRequest.parse({"sector": sector, "needs": {key: amount}})
            quoted |= {r.plot_id: r.utilities[0] for r in
                       match_for(users["staff"], request, today=today).results()}
        for plot in plots:
            if plot.pk not in quoted:
                continue  # excluded (sector, price, no line): the match quotes no source
            option = quoted[plot.pk]
            assert option.kind == kind
            with transaction.atomic():
                if option.free_now < amount:  # served only after an upgrade: nothing to commit
                    with pytest.raises(CapacityExceeded):
                        services.plot_reserve(actor=users["staff"], plot=plot, application=app)
                    refused += 1
                else:
                    r = services.plot_reserve(actor=users["staff"], plot=plot, application=app)
                    committed = CapacityCommitment.objects.filter(reservation_link__reservation=r)
                    assert [c.source_id for c in committed] == [option.source_id], (plot.code, key)
                    checked += 1
                transaction.set_rollback(True)
    # Most plots of the demo are results for most needs; the gas station has nothing free yet.
    assert checked >= 3 * plots.count() and refused > 0
