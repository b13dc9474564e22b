import pytest


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Page bodies are cached across requests; a test starts without another test's pages."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
