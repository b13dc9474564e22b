import pytest


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_caches):
    """Offers are cached; a test starts afresh."""
