"""Two app processes over one database and one cache, as an outlet runs several: what
one process stores or counts, the other sees.

Nothing a reader relies on may live in one process's memory: a story published from
a third process shows on both at once (the page cache keys on the shared content
version), and the comment rate limit counts posts made through either. On the
embedded default (SQLite, the file cache in the data directory) when the suite runs
on SQLite; with PostgreSQL and Redis when it runs on PostgreSQL.
"""

import contextlib
import os
import re
import subprocess
import sys
import time
import uuid

from dateline.testing.postgres import PostgresCluster, postgres_bin
from dateline.testing.stack import (
    REDIS_URL,
    forget_cache,
    process_environment,
    redis_up,
    request,
    require,
)

DATELINE = [sys.executable, "-m", "dateline.cli"]
ARTICLE = "/pakistan/capital-water-plan/"
PUBLISH = """
from dateline.newsroom.actions import do_publish_article
from dateline.newsroom.models import ArticlePage
article = ArticlePage.objects.get(url_path__endswith="{path}")
article.title = "{title}"
do_publish_article(article)
"""


@contextlib.contextmanager
def backing_services(tmp_path):
    """The suite's own kind of store: PostgreSQL + Redis, or the embedded default."""
    env = process_environment()
    env.update(
        DATELINE_DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY="s" * 50,
        DATELINE_HTTPS="0",
        DATELINE_SCHEDULER="0",
        DATELINE_COMMENTS_MIN_SECONDS="0",
        DATELINE_COMMENTS_RATE_PER_IP="3/600",
    )
    if not os.environ.get("DATABASE_URL"):
        yield env
        return
    require(postgres_bin() is not None, "PostgreSQL's server programs")
    require(redis_up(), f"Redis at {REDIS_URL}")
    prefix = f"two-{uuid.uuid4().hex[:8]}"
    with PostgresCluster() as database:
        env.update(
            DATABASE_URL=database.url, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix
        )
        try:
            yield env
        finally:
            forget_cache(prefix)


def dateline(env, *args):
    done = subprocess.run(
        [*DATELINE, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextlib.contextmanager
def server(env, port, log):
    process = subprocess.Popen(
        [*DATELINE, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if request(f"http://127.0.0.1:{port}{ARTICLE}")[0] == 200:
                    break
            assert process.poll() is None, log.read_text()
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def post_comment(site, number):
    status, _, page = request(site + ARTICLE)
    action = re.search(r'action="(/comments/\d+/post/)', page)[1]
    fields = {
        "name": f"Reader {number}",
        "email": f"reader{number}@example.com",
        "website": "",
        "body": f"Comment number {number} on the water plan.",
    }
    return request(site + action, fields=fields, headers={"Origin": site})


def test_two_app_processes_share_pages_versions_and_rate_limits(tmp_path):
    from dateline.testing.proxy import free_port

    with backing_services(tmp_path) as env:
        dateline(env, "demo", "--no-serve")
        with (
            server(env, free_port(), tmp_path / "a.log") as a,
            server(env, free_port(), tmp_path / "b.log") as b,
        ):
            for site in (a, b):
                request(site + ARTICLE)
                status, headers, body = request(site + ARTICLE)
                assert headers["X-Page-Cache"] == "hit"
                assert "Islamabad unveils" in body

            dateline(env, "shell", "-c", PUBLISH.format(path=ARTICLE, title="Revised"))
            for site in (a, b):
                status, _, body = request(site + ARTICLE)
                assert status == 200
                assert "<h1" in body and ">Revised</h1>" in body

            # Three posts a window from one address, through either process.
            statuses = [post_comment(site, n)[0] for n, site in enumerate((a, b, a))]
            assert statuses == [302, 302, 302]
            status, headers, body = post_comment(b, 3)
            assert status == 429 and "Retry-After" in headers
            assert "Comment number 3 on the water plan." in body  # the text is kept
