"""Run-wide hooks. With ``DATELINE_NO_SKIPS=1`` (CI) a skipped test fails the run."""

import os


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
