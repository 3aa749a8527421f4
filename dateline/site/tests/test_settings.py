import os

import pytest
from django.core.cache import caches
from django.db import connection


@pytest.mark.django_db
def test_database_is_the_one_the_environment_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected


def test_cache_is_the_one_the_environment_names():
    cache = caches["default"]
    backend = type(cache).__name__
    assert backend == (
        "FailOpenRedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    )
    cache.set("dateline-probe", "here", 5)
    assert cache.get("dateline-probe") == "here"


def test_debug_is_off_in_tests_as_in_production(settings):
    assert settings.DEBUG is False
