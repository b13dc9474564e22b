"""Fixtures of the geodata tests."""

import pytest


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The import unpacks and reads in folders made here, so a test can see they are removed."""
    from promzona.geodata import uploads

    area = tmp_path / "work"
    area.mkdir()
    monkeypatch.setattr(uploads, "WORK", area)
    return area
