from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command

from promzona.zones.models import (
    AnchorEnterprise,
    MapFeature,
    Plot,
    UtilityLine,
    UtilitySource,
)

pytestmark = pytest.mark.django_db


def table_state():
    """Every row of every promzona table, as comparable data."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"zones", "accounts", "audit", "api", "applications",
                                     "instructions", "works", "projects", "news"}:
            state[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return state


def test_running_demo_twice_changes_nothing(demo, capsys):
    call_command("demo")  # adds what the test database lacks (the execution demo)
    before = table_state()
    call_command("demo")
    assert "already loaded" in capsys.readouterr().out
    assert table_state() == before


def test_demo_has_plots_of_every_status_and_size_range(demo):
    plots = Plot.objects.filter(zone=demo)
    assert plots.count() >= 25
    assert set(Counter(plots.values_list("status", flat=True))) == set(Plot.Status.values)
    areas = [float(p.declared_area_ha) for p in plots]
    assert min(areas) >= 0.3 and max(areas) <= 20
    assert plots.filter(area_mismatch=True).exists()  # the surveying discrepancy is flagged
    assert plots.filter(rail_spur=True).exists()
    assert all(p.dist_rail_m is not None and p.dist_town_centre_m is not None for p in plots)


def test_only_the_flagged_and_the_old_passport_need_re_verification(demo, today, settings):
    stale = sorted(p.code for p in Plot.objects.filter(zone=demo) if p.is_stale(today))
    assert stale == ["BLK-09", "BLK-17"]  # flagged by staff; verified before the stale period
    old = Plot.objects.get(zone=demo, code="BLK-17")
    assert (today - old.verified_at).days > settings.PROMZONA_STALE_AFTER_DAYS
    assert not Plot.objects.get(zone=demo, code="BLK-17").needs_reverification


def test_demo_utilities_cover_kinds_statuses_and_a_nearly_full_source(demo):
    kinds = set(UtilitySource.objects.filter(zone=demo).values_list("kind", flat=True))
    assert {"power", "water", "heat", "sewage"} <= kinds
    statuses = set(UtilityLine.objects.filter(zone=demo).values_list("status", flat=True))
    assert statuses == {"existing", "under_construction", "planned"}
    assert any(s.free < s.capacity / 4 for s in UtilitySource.objects.filter(capacity__gt=0))


def test_demo_has_reference_layers_anchors_directions_and_is_labelled(demo):
    kinds = set(MapFeature.objects.filter(zone=demo).values_list("kind", flat=True))
    assert kinds == set(MapFeature.Kind.values)
    assert AnchorEnterprise.objects.filter(zone=demo).count() == 2
    assert demo.directions.count() == 4 and demo.is_illustrative
    assert all(d.sectors.exists() for d in demo.directions.all())


def test_demo_accounts_exist_for_every_role(demo):
    from promzona.accounts.models import Role, User

    roles = set(User.objects.filter(username__startswith="demo-").values_list("role", flat=True))
    assert roles == set(Role.values)


def test_the_demos_records_carry_the_demos_time_not_the_clocks(demo, today):
    """The loaders pass their own ``now`` to every service (accounts, contacts, branding,
    instruction bodies, obligation rules), so the zone's history reads from one recorded day."""
    from promzona.accounts.models import User
    from promzona.audit.models import AuditEntry
    from promzona.demo.balkhash import recorded_at

    call_command("demo")
    recorded = recorded_at(today)
    users = User.objects.filter(username__startswith="demo-")
    assert set(users.values_list("date_joined", flat=True)) == {recorded}
    for action in ("user.created", "organisation.created", "organisation.confirmed",
                   "contact.created", "branding.created", "body.created", "obligationrule.created"):
        times = set(AuditEntry.objects.filter(action=action).values_list("at", flat=True))
        assert times == {recorded}, action


def test_demo_news_is_illustrative_sourced_and_credited(demo):
    from promzona.news.models import Article

    shown = Article.objects.filter(is_illustrative=True)
    assert shown.count() >= 4 and set(shown.values_list("status", flat=True)) == {"published"}
    assert all(a.photo and "promzona" in a.photo_credit for a in shown)
    # Every retelling links the public report it retells, and says it is a demo retelling.
    retold = shown.exclude(slug="utilities-capacity-overview")
    assert all(a.source_url.startswith("http") and "demo" in a.source_label for a in retold)
    governor = shown.get(publish_at__date="2025-09-08", slug__contains="governor")
    assert "inkaraganda.kz" in governor.source_url
    drafts = Article.objects.filter(event_code__gt="")
    assert drafts.exists() and set(drafts.values_list("status", flat=True)) == {"draft"}


def test_every_held_plot_has_its_application_and_reservation(demo):
    from promzona.applications.models import Reservation

    held = Plot.objects.filter(zone=demo, status__in=["reserved", "allocated"])
    assert sorted(held.values_list("code", flat=True)) == [
        "BLK-05", "BLK-09", "BLK-14", "BLK-21", "BLK-24"]
    for plot in held:
        r = Reservation.objects.get(plot=plot, status__in=["active", "allocated"])
        assert r.status == ("active" if plot.status == "reserved" else "allocated")
        assert r.application.status == ("under_review" if r.status == "active" else "approved")
        assert r.commitment_links.count() == 4  # power, water, sewage, heat


def test_every_reserved_demo_plot_can_be_released(demo):
    from promzona.accounts.models import User
    from promzona.applications.models import Reservation
    from promzona.applications.services import reservation_release

    staff = User.objects.get(username="demo-staff")
    before = {s.code: s.committed for s in UtilitySource.objects.filter(zone=demo)}
    released = {}
    for r in Reservation.objects.filter(plot__zone=demo, status="active"):
        for link in r.commitment_links.select_related("commitment__source"):
            code = link.commitment.source.code
            released[code] = released.get(code, 0) + link.commitment.amount
        reservation_release(actor=staff, reservation=r)
        r.plot.refresh_from_db()
        assert r.plot.status == "published"
    assert released
    after = {s.code: s.committed for s in UtilitySource.objects.filter(zone=demo)}
    assert after == {code: before[code] - released.get(code, 0) for code in before}


def test_demo_load_failing_midway_leaves_nothing(demo, today, monkeypatch):
    from promzona.demo import balkhash
    from promzona.zones.models import Zone

    Zone.objects.filter(pk=demo.pk).update(slug="moved-aside")
    zones = Zone.objects.count()

    def fail(**_):
        raise RuntimeError("stopped halfway")

    monkeypatch.setattr(balkhash.demo_contacts, "load", fail)
    with pytest.raises(RuntimeError):
        balkhash.load(today=today)
    assert Zone.objects.count() == zones
