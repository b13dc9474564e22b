"""Data migrations read and write the database they are migrating: every manager call in a
migration goes through ``.using(schema_editor.connection.alias)``, or a second database migrated
from the same process (a fresh install's check, a restore drill) is read from the default one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import promzona

pytestmark = pytest.mark.nodb
MIGRATIONS = sorted(Path(promzona.__file__).parent.glob("*/migrations/0*.py"))
UNROUTED = re.compile(r"\.objects\.(?!using\()")


def test_there_are_data_migrations_to_check():
    assert sum("RunPython" in p.read_text() for p in MIGRATIONS) >= 5


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_manager_call_in_a_migration_names_its_database(path):
    lines = [f"{n}: {line.strip()}" for n, line in enumerate(path.read_text().splitlines(), 1)
             if UNROUTED.search(line)]
    assert not lines, lines
