"""The dashboard page and the list behind each figure: who may see them, what they show (the
same figures as the API), broken and hostile input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from promzona.accounts.models import User
from promzona.applications.models import Application

from .conftest import by_year

pytestmark = pytest.mark.django_db


def page(client, url, params=None, status=200):
    r = client.get(url, params or {})
    assert r.status_code == status, (url, r.status_code)
    return r.content.decode()


def test_staff_and_managers_land_on_the_dashboard_after_login(client, demo):
    r = client.post("/accounts/login/", {"username": "demo-manager",
                                         "password": "balkhash-demo-2026"})
    assert r.status_code == 302 and r.url == "/en/dashboard/"
    client.logout()
    r = client.post("/accounts/login/", {"username": "demo-investor",
                                         "password": "balkhash-demo-2026"})
    assert r.url == "/en/"


def test_the_page_shows_the_figures_of_the_api_with_their_charts(manager_client, hand):
    html = page(manager_client, "/dashboard/", {"zone": "kpi-hand"})
    api = manager_client.get("/api/kpi", {"zone": "kpi-hand"}).json()
    assert "66.7%" in html  # occupancy 10 / 15, by hand
    assert f"{api['occupancy_share'] * 100:.1f}%" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 6
    assert 'href="/en/dashboard/list/plots/taken/?zone=kpi-hand&amp;as_of=' in html
    assert f'href="/en/works/?zone={hand.zone.pk}&amp;as_of={hand.today}&amp;late=on"' in html
    assert "/dashboard/list/instructions/overdue/?zone=kpi-hand" in html
    assert "/dashboard/list/funnel/approved/?zone=kpi-hand" in html
    assert f"/dashboard/list/source/{hand.source.pk}/" in html
    assert "1 of 2 works late." in html
    assert "SPI 0.58 · CPI 1.09" in html
    assert not re.search(r"<script|\sstyle=|\son\w+=", html.split("<main", 1)[1])


def test_the_page_lists_investment_and_jobs_by_year(manager_client, hand):
    html = page(manager_client, "/dashboard/", {"zone": "kpi-hand"})
    table = html.split('id="by-year"', 1)[1].split("<tbody>", 1)[1].split("</table>", 1)[0]
    rows = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
            for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert rows == [[str(y["year"]), f"{y['planned']:,.0f}", f"{y['actual']:,.0f}",
                     str(y["planned_jobs"]), str(y["actual_jobs"])] for y in by_year(hand)]
    assert "Jobs by year" in html


def test_all_zones_list_each_zone_with_a_link_to_its_own_figures(manager_client, hand):
    html = page(manager_client, "/dashboard/")
    assert "Hand-computed zone" in html and "?zone=kpi-hand&amp;as_of=" in html
    assert "Balkhash small industrial zone" in html


def test_a_past_day_shows_what_the_records_said_then(manager_client, hand):
    day = (hand.today - dt.timedelta(days=55)).isoformat()
    html = page(manager_client, "/dashboard/", {"zone": "kpi-hand", "as_of": day})
    assert f"Figures at the end of {day}" in html and "40.0%" in html  # 6 / 15


@pytest.mark.parametrize("params", [{"as_of": "yesterday"}, {"as_of": "1999-01-01"},
                                    {"zone": "nope"}, {"zone": "<b>x</b>"},
                                    {"as_of": "2999-01-01"}])
def test_a_bad_scope_is_shown_as_an_error_and_all_zones_today_instead(manager_client, demo, params):
    html = page(manager_client, "/dashboard/", params)
    assert 'class="error"' in html and "Dashboard: all zones" in html
    assert "<b>x</b>" not in html


def as_user(username: str | None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if username:
        c.force_login(User.objects.get(username=username))
    return c


def test_investors_executors_and_the_public_are_kept_out(demo):
    assert as_user(None).get("/dashboard/").status_code == 302
    assert as_user("demo-investor").get("/dashboard/").status_code == 403
    assert as_user("demo-investor").get("/dashboard/list/plots/draft/").status_code == 403
    assert as_user("demo-executor").get("/dashboard/").status_code == 403


def rows(html):
    return re.findall(r"<tr><td>(.*?)</tr>", html.split("<tbody>", 1)[1], re.S)


def test_the_list_behind_occupancy_is_the_allocated_and_occupied_plots(manager_client, hand):
    html = page(manager_client, "/dashboard/list/plots/taken/", {"zone": "kpi-hand"})
    assert [re.search(r">(P\d)<", r).group(1) for r in rows(html)] == ["P5", "P6"]
    assert 'href="/en/plots/kpi-hand/P5/"' in html


def test_a_list_on_a_past_day_has_the_items_of_that_day(manager_client, hand):
    day = (hand.today - dt.timedelta(days=55)).isoformat()
    html = page(manager_client, "/dashboard/list/plots/reserved/", {"zone": "kpi-hand", "as_of": day})
    assert len(rows(html)) == 1 and "P5" in html and "Reserved" in html
    html = page(manager_client, "/dashboard/list/plots/reserved/", {"zone": "kpi-hand"})
    assert "Nothing." in html


def test_the_lists_of_the_funnel_instructions_capacity_and_projects(manager_client, hand):
    a1 = hand.apps["A1"]
    html = page(manager_client, "/dashboard/list/funnel/approved/", {"zone": "kpi-hand"})
    assert len(rows(html)) == 1 and f'href="/en/applications/{a1.pk}/"' in html
    html = page(manager_client, "/dashboard/list/funnel/projects_in_construction/",
                {"zone": "kpi-hand"})
    assert f'href="/en/projects/{hand.project.pk}/"' in html
    html = page(manager_client, "/dashboard/list/funnel/under_review/", {"zone": "kpi-hand"})
    assert len(rows(html)) == 2
    html = page(manager_client, "/dashboard/list/instructions/overdue/", {"zone": "kpi-hand"})
    assert len(rows(html)) == 1 and "H-1" in html and "overdue" in html
    html = page(manager_client, "/dashboard/list/instructions/late/",
                {"zone": "kpi-hand", "executor": str(hand.bodies["dept"].pk)})
    assert len(rows(html)) == 1 and "H-4" in html
    html = page(manager_client, f"/dashboard/list/source/{hand.source.pk}/")
    assert len(rows(html)) == 1 and "existing" in html and "300.0" in html
    html = page(manager_client, "/dashboard/list/projects/counted/", {"zone": "kpi-hand"})
    assert len(rows(html)) == 1 and "A1" in html


def test_enquiries_are_the_match_requests_of_investors(manager_client, demo):
    body = {"sector": "C25", "area_ha": {"min": 1, "max": 5}, "needs": {}}
    for username in ("demo-investor", "demo-staff", None):
        r = as_user(username).post("/api/match", body, content_type="application/json")
        assert r.status_code == 200
    assert manager_client.get("/api/kpi").json()["funnel"]["enquiries"] == 1
    html = page(manager_client, "/dashboard/list/funnel/enquiries/")
    assert len(rows(html)) == 1 and "demo-investor" in html and "match request" in html
    page(manager_client, "/dashboard/list/funnel/enquiries/", {"zone": "balkhash"}, status=404)


@pytest.mark.parametrize("url", [
    "/dashboard/list/plots/everything/", "/dashboard/list/nothing/draft/",
    "/dashboard/list/funnel/bribes/", "/dashboard/list/instructions/lost/",
    "/dashboard/list/source/999999999/", "/dashboard/list/source/99999999999999999999999/",
    "/dashboard/list/projects/all/", "/dashboard/list/plots/draft/?zone=nope",
    "/dashboard/list/plots/draft/?as_of=2026-13-01",
])
def test_a_list_that_does_not_exist_is_404(manager_client, demo, url):
    assert manager_client.get(url).status_code == 404


def test_a_bad_page_number_shows_the_first_page(manager_client, hand):
    html = page(manager_client, "/dashboard/list/plots/published/", {"page": "x'--"})
    assert "Plots: Free (published)" in html


def test_hostile_text_in_the_data_is_shown_as_text(manager_client, hand):
    Application.objects.filter(pk=hand.apps["A1"].pk).update(
        project_name='<img src=x onerror="alert(1)">')
    html = page(manager_client, "/dashboard/list/funnel/approved/", {"zone": "kpi-hand"})
    assert "<img src=x" not in html and "&lt;img src=x" in html
