"""A foreign company goes from a match result to a submitted application, through the pages:
the match's "Apply" link, login, registration with its country and register number, the zone
office's confirmation, and the prefilled application form."""

from __future__ import annotations

import html
import re

from django.core import mail
from django.test import Client

from promzona.accounts.models import JoinRequest
from promzona.applications.models import Application

SEARCH = {"sector": "C25", "area_max": "5", "power_kw": "500", "hazard_class": "4",
          "horizon_years": "10"}
PASSWORD = "kupfer-und-stahl-27"


def _apply_link(page: str) -> str:
    return html.unescape(re.search(r'href="(/en/applications/new/\?plot=[^"]+)"', page).group(1))


def test_a_foreign_company_applies_from_a_match_result(demo, django_capture_on_commit_callbacks):
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = visitor.get("/en/match/", SEARCH).content.decode()
    apply = _apply_link(page)
    plot_id = int(re.search(r"plot=(\d+)", apply).group(1))

    # Anonymous: the link leads to the login, which keeps the way back and offers registration.
    r = visitor.get(apply)
    assert r.status_code == 302 and r["Location"].startswith("/en/accounts/login/?next=")
    login = visitor.get(r["Location"]).content.decode()
    assert 'href="/en/accounts/register/"' in login

    with django_capture_on_commit_callbacks(execute=True):
        r = visitor.post("/en/accounts/register/", {
            "organisation_name": "Kupfer GmbH", "country": "DE", "number": "HRB 12345",
            "username": "kupfer", "email": "ceo@kupfer.example", "password1": PASSWORD,
            "password2": PASSWORD}, REMOTE_ADDR="10.30.0.1")
    assert r.status_code == 200
    verify = re.search(r"https://zone\.example\.kz(\S+)", mail.outbox[-1].body).group(1)  # BASE_URL
    assert visitor.get(verify).status_code == 302
    assert visitor.login(username="kupfer", password=PASSWORD)

    # Not yet confirmed: told why on the site's own page, with a way to ask the zone office.
    r = visitor.get(apply)
    page = r.content.decode()
    assert r.status_code == 403 and "once the zone office has confirmed you" in page
    assert 'href="/en/enquiries/new/"' in page and '<html lang="en">' in page

    staff = Client()
    staff.login(username="demo-staff", password="balkhash-demo-2026")
    request = JoinRequest.objects.get(user__username="kupfer")
    assert (request.country, request.number) == ("DE", "HRB12345")
    r = staff.post(f"/accounts/registrations/{request.pk}/approve/",
                   {"note": "Handelsregister extract checked"})
    assert r.status_code == 302

    # Confirmed: the same link opens the form filled in from the search.
    form = visitor.get(apply).content.decode()
    code = re.search(r'name="preferred_codes"[^>]*value="([^"]+)"', form).group(1)
    assert code.startswith("BLK-") and 'name="power_kw"' in form and 'value="500"' in form
    r = visitor.post(apply, {"project_name": "Kupferdraht", "sector": "C25",
                             "investment_kzt": "1500000000", "jobs_planned": "80",
                             "preferred_codes": code, "power_kw": "500", "water_m3_day": "0",
                             "sewage_m3_day": "0", "heat_gcal_h": "0", "gas_m3_h": "0"})
    assert r.status_code == 302
    app = Application.objects.get(project_name="Kupferdraht")
    assert (app.organisation.country, app.organisation.registration_number, app.organisation.bin) \
        == ("DE", "HRB12345", None)
    assert [p.plot_id for p in app.preferred.all()] == [plot_id]
    r = visitor.post(f"/en/applications/{app.pk}/submit/", {"comment": ""})
    app.refresh_from_db()
    assert r.status_code == 302 and app.status == "submitted"


def test_without_an_account_a_foreign_visitor_can_still_ask_from_the_match_page(demo):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/en/match/", SEARCH).content.decode()
    assert re.search(r'href="/en/enquiries/new/\?[^"]*plot=\d+', page)
