"""``promzona import FILE --mapping MAPPING.json``: a bad mapping file is a clear error."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.nodb


def test_a_too_deeply_nested_mapping_is_a_clear_error(tmp_path):
    path = tmp_path / "plots.csv"
    path.write_text("code\nX\n")
    mapping = tmp_path / "m.json"
    mapping.write_text("[" * 100_000)
    with pytest.raises(CommandError, match="Cannot read the mapping: maximum recursion depth"):
        call_command("import", str(path), "--mapping", str(mapping))


def test_an_endless_mapping_is_refused_after_the_limit(tmp_path):
    path = tmp_path / "plots.csv"
    path.write_text("code\nX\n")
    with pytest.raises(CommandError, match="mapping is larger than 100,000 bytes"):
        call_command("import", str(path), "--mapping", "/dev/zero")
