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


@pytest.mark.django_db
def test_the_embedded_database_keeps_its_connections_open(monkeypatch, tmp_path):
    """Opening a SQLite connection costs more than an article view's reads: the
    embedded default keeps them between requests, as PostgreSQL's are kept."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import ConnectionHandler

    from dateline.site.settings.env import database_config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)
    monkeypatch.delenv("DATABASE_SQLITE_CACHE_MB", raising=False)
    config = database_config(tmp_path / "site.sqlite3")
    assert config["CONN_MAX_AGE"] == 60
    # Django's own end-of-request check leaves such a connection open.
    handler = ConnectionHandler({"default": config})
    embedded = handler["default"]
    try:
        with embedded.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -16 * 1024  # KiB: SQLite's default is 2 MB
        embedded.close_if_unusable_or_obsolete()
        assert embedded.connection is not None
    finally:
        embedded.close()
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "0")
    assert database_config(tmp_path / "site.sqlite3")["CONN_MAX_AGE"] == 0
    monkeypatch.setenv("DATABASE_SQLITE_CACHE_MB", "-5")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_SQLITE_CACHE_MB must"):
        database_config(tmp_path / "site.sqlite3")
    monkeypatch.delenv("DATABASE_SQLITE_CACHE_MB")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "a minute")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE"):
        database_config(tmp_path / "site.sqlite3")


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit(monkeypatch, tmp_path):
    """PostgreSQL's JIT compiling doubled a reader's search at a million stories:
    the site's sessions turn it off unless DATABASE_JIT says otherwise."""
    from dateline.site.settings.env import database_config

    url = "postgres://reader@db.example:5432/news?options=-c%20statement_timeout%3D5000"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("DATABASE_JIT", raising=False)
    options = database_config(tmp_path / "unused.sqlite3")["OPTIONS"]
    assert options["options"] == "-c statement_timeout=5000 -c jit=off"
    monkeypatch.setenv("DATABASE_JIT", "1")
    assert "jit" not in database_config(tmp_path / "x")["OPTIONS"].get("options", "")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
