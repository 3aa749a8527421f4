"""Run-wide hooks. With ``DATELINE_NO_SKIPS=1`` (CI) a skipped test fails the run."""

import os

import pytest


def pytest_sessionfinish(session, exitstatus):
    if not os.environ.get("DATELINE_NO_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"DATELINE_NO_SKIPS: {len(skipped)} test(s) skipped", red=True
        )
        session.exitstatus = 1


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """With ``DATELINE_TEST_SQLITE_FILE`` the SQLite test database is that file, as
    the embedded site's is (WAL, writers waiting their turn), not in memory: for a test
    of writers at the same moment, which runs itself that way (live/tests)."""
    from django.conf import settings

    path = os.environ.get("DATELINE_TEST_SQLITE_FILE")
    database = settings.DATABASES["default"]
    if path and database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = path
