import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_zone_and_its_plots_in_russian_by_default(demo):
    from django.test import Client

    r = Client().get("/")
    assert r.status_code == 200 and r["Content-Language"] == "ru"
    html = r.content.decode()
    assert "Малая промышленная зона «Балхаш»" in html
    assert "BLK-01" in html and '<html lang="ru">' in html


def test_public_does_not_see_draft_or_withdrawn_plots(client, demo):
    from promzona.zones.models import Plot

    html = client.get("/").content.decode()
    hidden = Plot.objects.filter(zone=demo, status__in=["draft", "withdrawn"])
    assert hidden.exists()
    assert all(f">{p.code}<" not in html for p in hidden)


def test_staff_sees_draft_plots(staff_client):
    from promzona.zones.models import Plot

    draft = Plot.objects.filter(status="draft").first()
    assert f">{draft.code}<" in staff_client.get("/").content.decode()


def test_demo_data_is_labelled_illustrative_on_the_page(client, demo):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "illustrative" in r.content.decode()


def test_login_page_lists_demo_accounts_only_while_demo_is_loaded(client, demo):
    from promzona.zones.models import Zone

    assert "balkhash-demo-2026" in client.get(reverse("login")).content.decode()
    Zone.objects.filter(pk=demo.pk).update(is_illustrative=False)
    assert "balkhash-demo-2026" not in client.get(reverse("login")).content.decode()


def test_demo_staff_can_log_in_and_reach_the_admin(client, demo):
    r = client.post(reverse("login"), {"username": "demo-staff", "password": "balkhash-demo-2026"})
    assert r.status_code == 302
    assert client.get("/admin/").status_code == 200
