"""The application page as the reviewer and the investor see it: only the actions the status
allows (and each shown action works), a capacity check against the sources a reservation
would commit on, passport links, and an allocation without an expiry date."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from promzona import l10n
from promzona.applications import services
from promzona.applications.actions import ALLOWED_FROM
from promzona.applications.models import Application

from .conftest import make_application

BUTTONS = {"submit": "Submit", "start_review": "Start review", "reserve": "Reserve plot",
           "approve": "Approve", "reject": "Reject", "withdraw": "Withdraw"}


def _client(username):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert c.login(username=username, password="balkhash-demo-2026")
    return c


def _shown(page: str) -> set[str]:
    return {a for a, label in BUTTONS.items() if f"<button>{label}</button>" in page}


def _in_status(users, status, plot):
    """An application of investor A brought to ``status`` through the services."""
    app = make_application(users["a"], submit=status != "draft", preferred=[plot.pk])
    staff = users["staff"]
    if status in ("under_review", "approved"):
        services.application_start_review(actor=staff, application=app)
    if status == "approved":
        services.plot_reserve(actor=staff, plot=plot, application=app)
        services.application_approve(actor=staff, application=app)
    if status == "rejected":
        services.application_reject(actor=staff, application=app, comment="No")
    if status == "withdrawn":
        services.application_withdraw(actor=users["a"], application=app)
    app.refresh_from_db()
    assert app.status == status
    return app


EXPECTED = {  # (status, role) -> the action buttons drawn
    ("draft", "investor"): {"submit", "withdraw"},
    ("submitted", "investor"): {"withdraw"},
    ("under_review", "investor"): {"withdraw"},
    ("approved", "investor"): set(),
    ("rejected", "investor"): set(),
    ("withdrawn", "investor"): set(),
    ("submitted", "staff"): {"start_review", "reserve", "reject"},
    ("under_review", "staff"): {"reserve", "reject"},
    ("approved", "staff"): set(),
    ("rejected", "staff"): set(),
    ("withdrawn", "staff"): set(),
    ("submitted", "manager"): set(),
    ("approved", "manager"): set(),
}


@pytest.mark.parametrize("status,role", sorted(EXPECTED))
def test_the_page_draws_only_what_the_status_allows_and_each_drawn_action_works(
        users, published_plot, status, role):
    if status == "draft" and role != "investor":
        pytest.skip("a draft is the investor's alone")
    app = _in_status(users, status, published_plot)
    client = _client(f"demo-{role}")
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    shown = _shown(page)
    assert shown == EXPECTED[(status, role)]
    upload = reverse("applications:upload", args=[app.pk])
    assert (f'action="{upload}"' in page) == (
        role != "manager" and status in ALLOWED_FROM["upload"])
    for action in sorted(shown - {"reserve"}):  # every button drawn is accepted
        fresh = _in_status(users, status, published_plot)
        client.post(reverse("applications:transition", args=[fresh.pk, action]),
                    {"comment": "because"})
        fresh.refresh_from_db()
        assert fresh.status != status, action


def test_with_an_active_reservation_the_reviewer_approves_or_releases_not_reserves(
        users, published_plot):
    app = _in_status(users, "under_review", published_plot)
    services.plot_reserve(actor=users["staff"], plot=published_plot, application=app)
    page = _client("demo-staff").get(reverse("applications:detail", args=[app.pk])).content \
        .decode()
    assert _shown(page) == {"approve", "reject"} and "<button>Release</button>" in page
    assert "Committed on the capacity ledger:" in page and "PS-" in page
    r = _client("demo-staff").post(reverse("applications:transition", args=[app.pk, "approve"]))
    app.refresh_from_db()
    assert r.status_code == 302 and app.status == "approved"


def test_an_allocation_shows_when_it_was_allocated_not_an_expiry(users, published_plot):
    app = _in_status(users, "approved", published_plot)
    page = _client("demo-investor").get(reverse("applications:detail", args=[app.pk])) \
        .content.decode()
    line = re.search(r'<ul class="reservations">(.*?)</ul>', page, re.S).group(1)
    assert f"Allocated, since {l10n.day(timezone.localdate())}" in line and "until" not in line


def test_the_reviewer_sees_a_capacity_check_of_each_preferred_plot(users, published_plot):
    app = make_application(users["a"], needs={"power_kw": 100, "water_m3_day": 5},
                           preferred=[published_plot.pk])
    page = _client("demo-staff").get(reverse("applications:detail", args=[app.pk])).content \
        .decode()
    check = page[page.index('id="capacity-title"'):page.index("<h2>Reservations")]
    assert published_plot.code in check
    assert check.count("covered") == 2 and "short by" not in check
    url = f'href="{reverse("web:passport", args=[published_plot.zone.slug, published_plot.code])}"'
    assert url in check and url in page[:page.index('id="capacity-title"')]  # preferred plots
    big = make_application(users["b"], needs={"power_kw": 10**7}, preferred=[published_plot.pk])
    page = _client("demo-staff").get(reverse("applications:detail", args=[big.pk])).content \
        .decode()
    assert re.search(r"short by [\d\s\u202f,.]+ kW", page)
    # Investors and managers see no capacity check.
    for who, a in (("demo-investor", app), ("demo-manager", app)):
        body = _client(who).get(reverse("applications:detail", args=[a.pk])).content.decode()
        assert 'id="capacity-title"' not in body


def test_the_capacity_check_names_the_source_the_reservation_commits_on(users, published_plot):
    app = make_application(users["a"], needs={"power_kw": 100}, preferred=[published_plot.pk])
    page = _client("demo-staff").get(reverse("applications:detail", args=[app.pk])).content \
        .decode()
    checked = re.search(r'<td class="num">[^<]+ kW</td>\s*<td>(\S+) ', page).group(1)
    reservation = services.plot_reserve(actor=users["staff"], plot=published_plot,
                                        application=app)
    [link] = reservation.commitment_links.select_related("commitment__source")
    assert link.commitment.source.code == checked


def test_the_status_table_is_what_the_services_enforce(users, published_plot):
    """A transition from a status the table does not list is refused by the service."""
    app = _in_status(users, "approved", published_plot)
    for action in ("submit", "start_review", "approve", "reject", "withdraw"):
        assert Application.Status.APPROVED not in ALLOWED_FROM[action]
        r = _client("demo-staff" if action in ("start_review", "approve", "reject")
                    else "demo-investor").post(
            reverse("applications:transition", args=[app.pk, action]), {"comment": "x"})
        app.refresh_from_db()
        assert r.status_code == 302 and app.status == "approved", action
