import json

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from promzona.audit.models import AuditEntry
from promzona.zones.models import Plot, UtilitySource

pytestmark = pytest.mark.django_db

EDITABLE = ["sector", "zone", "plot", "utilitysource", "utilityline", "mapfeature",
            "anchorenterprise", "infrastructureproject"]


def test_every_zone_model_is_in_the_admin():
    registered = {m._meta.model_name for m in admin.site._registry}
    assert set(EDITABLE) | {"organisation", "user", "auditentry", "capacitycommitment"} <= registered


@pytest.mark.parametrize("model", EDITABLE)
def test_staff_can_open_list_add_and_change_pages(staff_client, model):
    assert staff_client.get(reverse(f"admin:zones_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:zones_{model}_add")).status_code == 200
    obj = admin.site._registry and next(
        m for m in admin.site._registry if m._meta.model_name == model
    ).objects.first()
    page = staff_client.get(reverse(f"admin:zones_{model}_change", args=[obj.pk]))
    assert page.status_code == 200


def test_plot_change_page_has_the_offline_map_preview(staff_client):
    plot = Plot.objects.get(code="BLK-01")
    html = staff_client.get(reverse("admin:zones_plot_change", args=[plot.pk])).content.decode()
    assert "geojson-preview" in html and "/static/leaflet/leaflet.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def _plot_form(plot, **changes):
    data = {
        "zone": plot.zone_id, "code": plot.code, "name_ru": plot.name_ru, "status": plot.status,
        "declared_area_ha": str(plot.declared_area_ha), "land_category": plot.land_category,
        "hazard_class_max": plot.hazard_class_max, "ownership": plot.ownership,
        "deal_lease": "on", "lease_price_kzt_ha_year": str(plot.lease_price_kzt_ha_year),
        "geometry": json.dumps(plot.geometry), "cadastral_number": plot.cadastral_number,
        "permitted_sectors": list(plot.permitted_sectors.values_list("pk", flat=True)),
    }
    data.update(changes)
    return data


def test_admin_refuses_invalid_geometry_with_field_message_and_saves_nothing(staff_client):
    plot = Plot.objects.get(code="BLK-04")
    x, y = plot.geometry["coordinates"][0][0]
    bowtie = {"type": "Polygon", "coordinates": [[[x, y], [x + .001, y + .001], [x + .001, y],
                                                  [x, y + .001], [x, y]]]}
    n = AuditEntry.objects.count()
    r = staff_client.post(reverse("admin:zones_plot_change", args=[plot.pk]),
                          _plot_form(plot, geometry=json.dumps(bowtie)))
    assert r.status_code == 200
    errors = r.context["adminform"].form.errors
    assert "self-intersection" in errors["geometry"][0]
    plot.refresh_from_db()
    assert plot.geometry["coordinates"][0][0] == [x, y] and AuditEntry.objects.count() == n


def test_admin_refuses_broken_json_geometry(staff_client):
    plot = Plot.objects.get(code="BLK-04")
    r = staff_client.post(reverse("admin:zones_plot_change", args=[plot.pk]),
                          _plot_form(plot, geometry="{not json"))
    assert r.status_code == 200 and "geometry" in r.context["adminform"].form.errors


def test_admin_edit_is_saved_through_the_service_with_audit(staff_client):
    plot = Plot.objects.get(code="BLK-04")
    r = staff_client.post(reverse("admin:zones_plot_change", args=[plot.pk]),
                          _plot_form(plot, declared_area_ha="9.9"))
    assert r.status_code == 302
    plot.refresh_from_db()
    assert plot.area_mismatch  # 9.9 declared against 5.5 computed
    entry = AuditEntry.objects.filter(object_type="zones.plot", object_id=str(plot.pk)).first()
    assert entry.action == "plot.updated" and entry.actor_label == "demo-staff"


def test_admin_refuses_capacity_below_committed(staff_client):
    src = UtilitySource.objects.get(code="PS-2")
    data = {"zone": src.zone_id, "code": src.code, "name_ru": src.name_ru, "kind": src.kind,
            "capacity": "100", "tariff_kzt": "1", "geometry": json.dumps(src.geometry),
            "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0"}
    r = staff_client.post(reverse("admin:zones_utilitysource_change", args=[src.pk]), data)
    assert r.status_code == 200
    assert "capacity" in r.context["adminform"].form.errors
    src.refresh_from_db()
    assert src.capacity == 16000


def test_investor_cannot_enter_the_admin(investor_client):
    r = investor_client.get(reverse("admin:zones_plot_changelist"))
    assert r.status_code == 302 and "login" in r["Location"]


@pytest.mark.parametrize("before,after", [("reserved", "published"), ("published", "reserved"),
                                          ("allocated", "withdrawn")])
def test_admin_cannot_reserve_or_release_a_plot(staff_client, before, after):
    plot = Plot.objects.filter(status=before).order_by("code").first()
    n = AuditEntry.objects.count()
    r = staff_client.post(reverse("admin:zones_plot_change", args=[plot.pk]),
                          _plot_form(plot, status=after))
    assert r.status_code == 200
    assert "applications review" in r.context["adminform"].form.errors["status"][0]
    plot.refresh_from_db()
    assert plot.status == before and AuditEntry.objects.count() == n


def test_the_admin_names_statuses_by_their_labels_in_russian(staff_client):
    """"с allocated на published" mixed a code into Russian; labels read «…»."""
    plot = Plot.objects.filter(status="allocated").order_by("code").first()
    with translation.override("ru"):  # the language is in the address
        change, index = (reverse("admin:zones_plot_change", args=[plot.pk]),
                         reverse("admin:index"))
    r = staff_client.post(change, _plot_form(plot, status="published"), HTTP_ACCEPT_LANGUAGE="ru")
    error = r.context["adminform"].form.errors["status"][0]
    assert "«Предоставлен» на «Свободен (опубликован)»" in error and "allocated" not in error
    page = staff_client.get(index, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Вложения" in page and "Attachments" not in page and ">Comments<" not in page


def test_admin_publishes_a_draft(staff_client):
    plot = Plot.objects.filter(status="draft").order_by("code").first()
    r = staff_client.post(reverse("admin:zones_plot_change", args=[plot.pk]),
                          _plot_form(plot, status="published"))
    assert r.status_code == 302
    plot.refresh_from_db()
    assert plot.status == "published"


def test_an_edit_does_not_undo_a_reservation_made_meanwhile(demo):
    from promzona.core.errors import InputError
    from promzona.zones.services import feature_save, plot_set_status

    stale = Plot.objects.filter(status="published").order_by("code").first()
    plot_set_status(actor=None, plot=Plot.objects.get(pk=stale.pk), status="reserved")
    stale.name_ru = "edited from a stale form"
    with pytest.raises(InputError, match="applications review"):
        feature_save(actor=None, obj=stale)
    assert Plot.objects.get(pk=stale.pk).status == "reserved"


def test_admin_cannot_add_a_plot_already_reserved(staff_client, demo):
    plot = Plot.objects.filter(status="published").order_by("code").first()
    n = Plot.objects.count()
    r = staff_client.post(reverse("admin:zones_plot_add"),
                          _plot_form(plot, code="NEW-R", status="reserved", cadastral_number=""))
    assert r.status_code == 200
    assert "applications review" in r.context["adminform"].form.errors["status"][0]
    assert Plot.objects.count() == n


def test_geometry_preview_opens_on_the_zones_extent(demo):
    import json

    from promzona.zones.widgets import GeoJSONPreviewWidget

    html = GeoJSONPreviewWidget().render("geometry", "", attrs={"id": "id_geometry"})
    extent = json.loads(html.split('data-extent="', 1)[1].split('"', 1)[0].replace("&quot;", '"'))
    assert extent == [[demo.min_lat, demo.min_lon], [demo.max_lat, demo.max_lon]]
