"""A real ``dateline import-wordpress`` process killed with SIGKILL mid-import; the
next run finishes the job without a duplicate."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from dateline.wordpress.sample import SampleExport

pytestmark = pytest.mark.own_stack

DATELINE = [sys.executable, "-m", "dateline.cli"]


def environment(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DATELINE_DATA_DIR=str(tmp_path / "data"), SECRET_KEY="k" * 50)
    return env


def dateline(env, *args):
    done = subprocess.run(
        [*DATELINE, *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def count(db, sql):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(sql).fetchone()[0]


POSTS = "SELECT COUNT(*) FROM dateline_wordpress_importeditem WHERE kind = 'post'"


def test_killed_import_completes_on_the_next_run(tmp_path):
    # The processes get an embedded SQLite site of their own, whatever database the
    # suite runs on.
    env = environment(tmp_path)
    dateline(env, "migrate", "-v0")
    export = SampleExport(posts=80, comments=240, attachments=5).write(
        tmp_path / "export.xml", tmp_path / "uploads"
    )
    db = tmp_path / "data" / "dateline.sqlite3"
    args = [
        "import-wordpress",
        str(export),
        "--media-dir",
        str(tmp_path / "uploads"),
        "--report",
        str(tmp_path / "report.txt"),
        # Batches of ten posts, so the kill finds some batches in and some not.
        "--batch",
        "10",
    ]
    process = subprocess.Popen(
        [*DATELINE, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while count(db, POSTS) < 10:
        assert process.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import never got going"
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    interrupted_at = count(db, POSTS)
    assert interrupted_at < 80

    out = dateline(env, *args)
    assert count(db, POSTS) == 80
    articles = count(db, "SELECT COUNT(*) FROM dateline_newsroom_articlepage")
    assert articles == 80
    comments = count(db, "SELECT COUNT(*) FROM dateline_comments_comment")
    recorded = count(
        db,
        "SELECT COUNT(*) FROM dateline_wordpress_importeditem WHERE kind = 'comment'",
    )
    assert comments == recorded > 0
    line = next(line for line in out.splitlines() if line.startswith("post "))
    assert int(line.split()[1]) == 80 - interrupted_at  # the rest, not all again

    again = dateline(env, *args)
    line = next(line for line in again.splitlines() if line.startswith("post "))
    assert line.split()[1:] == ["0", "0", "80", "0"]
    assert count(db, "SELECT COUNT(*) FROM dateline_comments_comment") == comments
