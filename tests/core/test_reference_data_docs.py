"""The README and docs/sectors.md name the reference data where the tests look for it."""

import os

import pytest

from .reference_data import REF, REPO, SUBFOLDER

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize("doc", ["README.md", "docs/sectors.md"])
def test_docs_name_the_folder_the_reference_tests_read(doc):
    text = " ".join((REPO / doc).read_text(encoding="utf-8").split())
    assert f"`$PROMZONA_SHARED_DATA/{SUBFOLDER}`" in text
    assert "`PROMZONA_SHARED_DATA` is the shared data folder, by default `../shared/data`" in text


def test_reference_folder_is_the_variable_joined_with_the_subfolder():
    shared = os.environ.get("PROMZONA_SHARED_DATA")
    expected = (REPO.parent / "shared" / "data") if shared is None else shared
    assert str(REF) == os.path.join(expected, SUBFOLDER)
