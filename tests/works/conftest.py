"""Fixtures for works: the demo's users, a line under construction and a planned upgrade."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from promzona.accounts.models import User
from promzona.works import services
from promzona.zones.models import InfrastructureProject, UtilityLine

USERNAMES = {"a": "demo-investor", "b": "demo-investor2", "staff": "demo-staff",
             "manager": "demo-manager"}


@pytest.fixture
def users(demo):
    return {k: User.objects.get(username=v) for k, v in USERNAMES.items()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(name="site.png", size=(4, 3)) -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def make_work(actor, zone, *, line=None, upgrade=None, kind=None, today, value=1_000_000_000,
              **extra):
    kind = kind or ("line" if line else "upgrade" if upgrade else "facility")
    return services.work_create(
        actor=actor, zone=zone, name=extra.pop("name", "Test work"), kind=kind,
        contractor=extra.pop("contractor", "TOO Stroy"),
        funding_source=extra.pop("funding_source", "local"),
        contract_number=extra.pop("contract_number", "17/2026"), contract_value_kzt=value,
        planned_start=extra.pop("start", today - dt.timedelta(days=100)),
        planned_finish=extra.pop("finish", today + dt.timedelta(days=100)), line=line,
        upgrade=upgrade, **extra)


@pytest.fixture
def uc_line(demo):
    return UtilityLine.objects.get(zone=demo, code="PO-3")  # power, under construction, PS-2


@pytest.fixture
def planned_line(demo):
    return UtilityLine.objects.get(zone=demo, code="PO-4")  # power, planned, PS-2


@pytest.fixture
def upgrade(demo):
    return InfrastructureProject.objects.get(zone=demo, source__code="PS-2")  # +10,000 kW


@pytest.fixture
def line_work(users, demo, uc_line, today):
    return make_work(users["staff"], demo, line=uc_line, today=today)


def finish(work, actor, today):
    """Report the work 100 % done today."""
    return services.work_report_progress(actor=actor, work=work, reported_on=today, percent=100,
                                         spent_kzt=900_000_000)
