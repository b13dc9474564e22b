"""Fixtures for applications: the demo's users of each role and a submitted application."""

from __future__ import annotations

import pytest

from promzona.accounts.models import User
from promzona.applications import services
from promzona.zones.models import Plot

NEEDS = {"power_kw": 100, "water_m3_day": 5, "sewage_m3_day": 0, "heat_gcal_h": 0, "gas_m3_h": 0}


@pytest.fixture
def users(demo):
    names = {"a": "demo-investor", "b": "demo-investor2", "staff": "demo-staff",
             "manager": "demo-manager"}
    return {k: User.objects.get(username=v) for k, v in names.items()}


@pytest.fixture
def published_plot(demo):
    return Plot.objects.filter(zone=demo, status=Plot.Status.PUBLISHED).order_by("code").first()


def make_application(user, *, needs=None, submit=True, preferred=None, **fields):
    app = services.application_create(
        actor=user, project_name="Metal works", sector="C25", investment_kzt=1_000_000_000,
        jobs_planned=120, needs=needs if needs is not None else NEEDS,
        preferred_plots=preferred or [], **fields,
    )
    if submit:
        services.application_submit(actor=user, application=app)
    return app


@pytest.fixture
def submitted_app(users):
    return make_application(users["a"])
