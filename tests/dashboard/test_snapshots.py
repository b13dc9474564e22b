"""``promzona snapshot``: the month ends the trend charts read, equal to what ``/api/kpi`` says
of those days; a second run replaces them."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder

from promzona.audit.models import AuditEntry
from promzona.core.deadlines import month_ends
from promzona.dashboard.models import Snapshot
from promzona.zones.models import Zone

pytestmark = pytest.mark.django_db


def test_snapshots_hold_what_the_api_says_of_each_month_end(manager_client, hand, capsys):
    call_command("snapshot", "--months", "3")
    assert "snapshot(s) stored for 3 month end(s)" in capsys.readouterr().out
    days = month_ends(hand.today, 3)[:-1]
    assert Snapshot.objects.count() == 3 * (Zone.objects.count() + 1)
    for zone in (None, hand.zone):
        for day in days:
            stored = Snapshot.objects.get(zone=zone, day=day).figures
            params = {"as_of": day.isoformat(), **({"zone": zone.slug} if zone else {})}
            with_ru = manager_client.get("/api/kpi", params, HTTP_ACCEPT_LANGUAGE="ru").json()
            assert stored == json.loads(json.dumps(with_ru, cls=DjangoJSONEncoder))
    assert AuditEntry.objects.filter(action="dashboard.snapshots_taken").count() == 1


def test_a_second_run_replaces_the_snapshots(hand):
    call_command("snapshot", "--months", "2")
    first = {(s.zone_id, s.day): s.figures for s in Snapshot.objects.all()}
    call_command("snapshot", "--months", "2")
    assert {(s.zone_id, s.day): s.figures for s in Snapshot.objects.all()} == first


def test_the_page_draws_the_trend_from_the_snapshots(manager_client, hand):
    html = manager_client.get("/dashboard/", {"zone": "kpi-hand"}).content.decode()
    assert "The trends appear once" in html
    call_command("snapshot", "--months", "12")
    html = manager_client.get("/dashboard/", {"zone": "kpi-hand"}).content.decode()
    trends = html.split('id="trends"', 1)[1].split("</section>", 1)[0]
    assert trends.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 3
    assert trends.count("<polyline") >= 5  # occupancy; planned and actual; three counts


@pytest.mark.parametrize("args", [["--months", "0"], ["--months", "121"],
                                  ["--today", "2999-01-01"], ["--today", "1999-12-31"]])
def test_bad_arguments_are_refused_and_nothing_is_stored(demo, args):
    with pytest.raises(CommandError):
        call_command("snapshot", *args)
    assert not Snapshot.objects.exists()
