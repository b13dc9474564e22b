import pytest
from django.db import transaction

from promzona.audit.models import AuditEntry
from promzona.audit.services import audit_record
from promzona.zones.models import Plot
from promzona.zones.services import feature_save, plot_set_status

pytestmark = pytest.mark.django_db


def test_audit_entry_rolls_back_with_the_change(demo, staff_user):
    plot = Plot.objects.get(code="BLK-01")
    n = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        plot_set_status(actor=staff_user, plot=plot, status="withdrawn")
        raise RuntimeError("later step fails")
    assert AuditEntry.objects.count() == n
    assert Plot.objects.get(pk=plot.pk).status == "published"


def test_update_records_actor_and_only_changed_fields(demo, staff_user):
    plot = Plot.objects.get(code="BLK-02")
    plot.existing_buildings = "Ангар 1 200 м²"
    feature_save(actor=staff_user, obj=plot)
    e = AuditEntry.objects.filter(object_id=str(plot.pk), object_type="zones.plot").first()
    assert e.action == "plot.updated" and e.actor == staff_user and e.actor_label == "demo-staff"
    assert e.before == {"existing_buildings": ""}
    assert e.after == {"existing_buildings": "Ангар 1 200 м²"}
    assert e.at.utcoffset().total_seconds() == 0


def test_saving_unchanged_object_writes_no_entry(demo):
    plot = Plot.objects.get(code="BLK-03")
    n = AuditEntry.objects.count()
    feature_save(actor=None, obj=plot)
    assert AuditEntry.objects.count() == n


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused():
    from promzona.zones.models import Sector

    sector = Sector.objects.create(code="X99", name_ru="x")
    n = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match="inside"):
        audit_record(actor=None, action="x.y", obj=sector)
    assert AuditEntry.objects.count() == n
