"""Fixtures for the optimisers' pages and commands: the demo's competing applications."""

from __future__ import annotations

import pytest
from django.core import mail  # noqa: F401  (the locmem backend keeps the notices in tests)
from django.utils import timezone

from promzona.applications.models import Application
from promzona.demo import competition as demo_competition


@pytest.fixture
def competition(demo):
    """The six illustrative applications competing for PS-2 (loaded inside the test's
    transaction), by project name."""
    demo_competition.load(today=timezone.localdate())
    names = [a[1] for a in demo_competition.APPLICATIONS]
    return {a.project_name: a for a in Application.objects.filter(project_name__in=names)}


def key(app: Application) -> str:
    return f"A{app.pk}"
