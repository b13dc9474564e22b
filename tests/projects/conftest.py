"""Fixtures for projects: an approved application holding an allocated plot, the zone's rules."""

from __future__ import annotations

import datetime as dt

import pytest

from promzona.accounts.models import User
from promzona.applications import services as app_services
from promzona.core.deadlines import add_months
from promzona.projects import services
from promzona.projects.models import ObligationRule
from promzona.zones.models import Plot

USERNAMES = {"a": "demo-investor", "b": "demo-investor2", "staff": "demo-staff",
             "manager": "demo-manager"}
NEEDS = {"power_kw": 100, "water_m3_day": 5}


@pytest.fixture
def users(demo):
    return {k: User.objects.get(username=v) for k, v in USERNAMES.items()}


@pytest.fixture
def rules(demo):
    """Design within 6 months, construction start within 12, commissioning within 36."""
    for milestone, months in (("design", 6), ("construction_start", 12), ("commissioning", 36)):
        ObligationRule.objects.update_or_create(zone=demo, milestone=milestone,
                                                defaults={"months": months})
    return demo.obligation_rules.all()


def approved_application(users, plot=None, investor="a"):
    plot = plot or Plot.objects.filter(status="published").order_by("code").first()
    app = app_services.application_create(
        actor=users[investor], project_name="Metal service centre", sector="C25",
        investment_kzt=3_000_000_000, jobs_planned=120, needs=NEEDS)
    app_services.application_submit(actor=users[investor], application=app)
    app_services.plot_reserve(actor=users["staff"], plot=plot, application=app)
    app_services.application_approve(actor=users["staff"], application=app)
    return app


def plan_from(year: int) -> list[tuple[int, int, int]]:
    return [(year, 1_000_000_000, 20), (year + 1, 1_500_000_000, 80), (year + 2, 500_000_000, 120)]


@pytest.fixture
def agreement(today) -> dt.date:
    """Thirteen months ago: design (6) and construction start (12) are overdue, commissioning
    (36) is not."""
    return add_months(today, -13)


@pytest.fixture
def approved(users):
    return approved_application(users)


@pytest.fixture
def project(users, rules, approved, agreement):
    return services.project_create(actor=users["staff"], application=approved,
                                   agreement_on=agreement, plan=plan_from(agreement.year))
