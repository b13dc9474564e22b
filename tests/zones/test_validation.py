"""Bad data is refused with a message naming the field, and nothing is saved."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from promzona.accounts.models import Organisation
from promzona.accounts.services import organisation_create
from promzona.audit.models import AuditEntry
from promzona.core.errors import InputError
from promzona.zones.models import Plot, UtilitySource
from promzona.zones.services import feature_save

pytestmark = pytest.mark.django_db


def new_plot(zone, **kw):
    base = Plot.objects.filter(zone=zone).first()
    fields = dict(zone=zone, code="T-1", declared_area_ha=Decimal("1"), ownership="state",
                  lease_price_kzt_ha_year=Decimal("1000"), geometry=base.geometry)
    fields.update(kw)
    return Plot(**fields)


def assert_refused(obj, field, match):
    plots, audits = Plot.objects.count(), AuditEntry.objects.count()
    with pytest.raises(InputError, match=match) as err:
        feature_save(actor=None, obj=obj)
    assert err.value.field == field
    assert (Plot.objects.count(), AuditEntry.objects.count()) == (plots, audits)


def test_self_intersecting_plot_is_refused_naming_geometry(demo):
    x, y = 75.03, 46.86
    bowtie = {"type": "Polygon", "coordinates": [[[x, y], [x + .001, y + .001], [x + .001, y],
                                                  [x, y + .001], [x, y]]]}
    assert_refused(new_plot(demo, geometry=bowtie), "geometry", "self-intersection at")


def test_plot_outside_its_zone_is_refused(demo):
    far = {"type": "Polygon", "coordinates": [[[76, 47], [76.01, 47], [76.01, 47.01], [76, 47.01],
                                               [76, 47]]]}
    assert_refused(new_plot(demo, geometry=far), "geometry", "outside its zone")


def test_lease_without_price_is_refused(demo):
    assert_refused(new_plot(demo, lease_price_kzt_ha_year=None), "lease_price_kzt_ha_year", "lease price")


def test_hazard_class_out_of_range_is_refused(demo):
    assert_refused(new_plot(demo, hazard_class_max=7), "hazard_class_max", "5")


def test_negative_capacity_is_refused(demo):
    src = UtilitySource.objects.get(code="PS-1")
    src.capacity = Decimal("-5")
    with pytest.raises(InputError) as err:
        feature_save(actor=None, obj=src)
    assert err.value.field == "capacity"
    src.refresh_from_db()
    assert src.capacity == Decimal("6300")


def test_capacity_below_committed_is_refused_naming_capacity(demo):
    src = UtilitySource.objects.get(code="PS-2")  # 12,800 kW committed in the demo
    src.capacity = Decimal("12000")
    with pytest.raises(InputError, match="already committed") as err:
        feature_save(actor=None, obj=src)
    assert err.value.field == "capacity"


def test_wrong_bin_check_digit_is_refused_and_nothing_saved(demo):
    before = Organisation.objects.count()
    with pytest.raises(Exception, match="check digit"):
        organisation_create(actor=None, name="X", number="180140005228")
    assert Organisation.objects.count() == before


def test_valid_plot_gets_computed_area_bbox_distances_and_audit(demo):
    base = Plot.objects.get(code="BLK-01")
    plot = feature_save(actor=None, obj=new_plot(demo, declared_area_ha=base.computed_area_ha * 2))
    assert plot.computed_area_ha == base.computed_area_ha
    assert plot.area_mismatch  # declared twice the real area
    assert plot.min_lon < plot.max_lon and plot.min_lat < plot.max_lat
    assert plot.dist_rail_m == base.dist_rail_m and plot.dist_airport_m > 1000
    entry = AuditEntry.objects.get(object_type="zones.plot", object_id=str(plot.pk))
    assert entry.action == "plot.created" and entry.after["code"] == "T-1"


def test_database_refuses_over_commitment_bypassing_services(demo):
    src = UtilitySource.objects.get(code="PS-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilitySource.objects.filter(pk=src.pk).update(committed=src.capacity + 1)


def test_database_refuses_negative_capacity_bypassing_services(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilitySource.objects.filter(code="GRS-1").update(capacity=-1)


def test_a_geometry_over_the_vertex_limit_is_refused_on_save(demo):
    import numpy as np

    from promzona.core.geometry import MAX_VERTICES
    from promzona.zones.models import MapFeature

    x, y = demo.shape().centroid.coords[0]
    ring = [[x + 1e-4 * np.cos(t), y + 1e-4 * np.sin(t)]
            for t in np.linspace(0, 2 * np.pi, MAX_VERTICES + 1, endpoint=False)]
    polygon = {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
    assert_refused(new_plot(demo, geometry=polygon), "geometry", "at most 10,000")
    road = MapFeature(zone=demo, kind="road", name="x",
                      geometry={"type": "LineString", "coordinates": ring})
    with pytest.raises(InputError, match="at most 10,000"):
        feature_save(actor=None, obj=road)
    assert not MapFeature.objects.filter(name="x").exists()
