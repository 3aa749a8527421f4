import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (it may be a shared Redis)."""
    from django.core.cache import cache

    cache.clear()
    yield
