import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Offers are cached and anonymous renders counted in the cache; a test starts afresh."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
