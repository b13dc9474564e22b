"""The OKED sectors ship with every database (a data migration), not only with the demo."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connections

from promzona.audit.models import AuditEntry
from promzona.demo import balkhash
from promzona.zones import oked
from promzona.zones.models import Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_db(tmp_path, django_db_blocker):
    """A new, empty SQLite database migrated from scratch, as a production install starts."""
    alias = "fresh"
    connections.settings[alias] = {**connections.settings["default"],
                                   "ENGINE": "django.db.backends.sqlite3",
                                   "NAME": str(tmp_path / "fresh.sqlite3"), "OPTIONS": {},
                                   "TEST": {}}
    try:
        with django_db_blocker.unblock():
            call_command("migrate", database=alias, verbosity=0)
            yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def test_fresh_migrated_database_has_the_oked_sectors(fresh_db):
    rows = set(Sector.objects.using(fresh_db).values_list("code", "name_ru", "name_kk", "name_en"))
    assert rows == set(oked.SECTORS)
    assert {"C25", "C24.44", "H52"} <= {r[0] for r in rows}


def test_demo_load_adds_no_sector_the_migration_shipped(demo, today):
    """The demo adds only the sectors a database lacks (after a test flushed the tables): none
    where the migration ran, one where one was deleted."""
    entries = AuditEntry.objects.filter(action="sector.created")
    before = entries.count()
    now = balkhash.recorded_at(today)
    assert balkhash.sectors_complete(now=now) == []
    assert entries.count() == before
    Sector.objects.filter(code="B07").delete()  # named by no plot, direction or project
    assert balkhash.sectors_complete(now=now) == ["B07"]
    assert entries.count() == before + 1
    assert Sector.objects.count() == len(oked.SECTORS)
