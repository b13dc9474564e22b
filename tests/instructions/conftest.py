"""Fixtures for instructions: the demo's people and bodies, and a helper that issues one."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from promzona.accounts.models import User
from promzona.instructions import services
from promzona.instructions.models import Body

_numbers = itertools.count(1)


@pytest.fixture
def people(demo):
    names = {"staff": "demo-staff", "manager": "demo-manager", "executor": "demo-executor",
             "investor": "demo-investor", "investor2": "demo-investor2"}
    return {k: User.objects.get(username=v) for k, v in names.items()}


@pytest.fixture
def bodies(demo):
    return {
        "city": Body.objects.get(name_en="Balkhash city akimat"),
        "dept": Body.objects.get(name_en="Balkhash construction and utilities department (demo)"),
        "office": Body.objects.get(name_en="Balkhash zone management company (demo)"),
        "rec": Body.objects.get(name_en="Regional power company (demo)"),
    }


def issue(people, bodies, **kw):
    """Staff issue an instruction to the demo executor's department, controlled by staff."""
    today = timezone.localdate()
    actor = kw.pop("actor", people["staff"])
    fields = {"number": f"T-{next(_numbers)}", "issued_on": today, "issuer": bodies["city"],
              "title": "Lay the line", "executor": bodies["dept"],
              "executor_person": people["executor"], "controller": people["staff"],
              "deadline": today + dt.timedelta(days=10)}
    fields.update(kw)
    return services.instruction_issue(actor=actor, **fields)


@pytest.fixture
def instruction(people, bodies):
    return issue(people, bodies)
