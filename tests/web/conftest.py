import pytest


@pytest.fixture(autouse=True)
def _fresh_page_cache(fresh_caches):
    """Page bodies are cached across requests; a test starts without another test's pages."""
