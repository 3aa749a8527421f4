"""Redis away, at start or later, under ``dateline serve``: readers still get pages
(built without the cache, a warning in the log), a comment posted meanwhile comes
back as a 503 that keeps the reader's words (rate limits cannot be counted), and the
site uses Redis again once it is back, without a restart.

A ``redis-server`` of the test's own is stopped and started for real; the database is
the embedded SQLite one.
"""

import subprocess
import sys

import pytest

from dateline.testing.proxy import free_port
from dateline.testing.stack import (
    RedisServer,
    post_comment,
    prepare_demo,
    process_environment,
    redis_server_bin,
    request,
    require,
    wait_for,
)

pytestmark = pytest.mark.own_stack

DATELINE = [sys.executable, "-m", "dateline.cli"]
ARTICLE = "/pakistan/capital-water-plan/"
HEADLINE = "Islamabad unveils five-year plan to cut water losses"
UNVIEWED = "/climate/karakoram-glacier-survey/"


@pytest.fixture
def stack(tmp_path):
    require(redis_server_bin(), "redis-server")
    with RedisServer(free_port()) as redis:
        env = process_environment()
        env.update(
            DATELINE_DATA_DIR=str(tmp_path / "data"),
            REDIS_URL=redis.url,
            SECRET_KEY="r" * 50,
            DATELINE_HTTPS="0",
            DATELINE_SCHEDULER="0",
            DATELINE_COMMENTS_MIN_SECONDS="0",
        )
        prepare_demo(env)
        yield redis, env


def test_pages_and_comments_with_redis_away_at_start_and_later(stack, tmp_path):
    redis, env = stack
    redis.stop()
    port, log = free_port(), tmp_path / "serve.log"
    site = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [*DATELINE, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: request(site + ARTICLE)[0] == 200, "the first page")
        assert "the shared cache (REDIS_URL) is not answering" in log.read_text()
        for path in ("/", ARTICLE, UNVIEWED):
            status, headers, body = request(site + path)
            assert status == 200, log.read_text()
            assert headers["X-Page-Cache"] == "miss"  # built, nothing stored
        assert HEADLINE in request(site + ARTICLE)[2]
        assert "is not answering" in log.read_text().split("Serving on", 1)[1]
        assert_comment_kept(site)

        redis.start()  # back: pages are stored and served from it again
        wait_for(
            lambda: request(site + ARTICLE)[1]["X-Page-Cache"] == "hit",
            "a page served from Redis",
        )
        status, headers, _ = post_comment(site, "Hina Baig")
        assert status == 302 and headers["Location"].startswith(ARTICLE)

        redis.stop()  # and away again, under the running server
        for path in ("/", ARTICLE, UNVIEWED):
            status, headers, body = request(site + path)
            assert status == 200, log.read_text()
            assert "Traceback" not in body
        assert HEADLINE in request(site + ARTICLE)[2]
        assert_comment_kept(site)
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


def assert_comment_kept(site):
    status, headers, body = post_comment(site, "Hina Baig")
    assert status == 503, body
    assert headers["Retry-After"] == "60"
    assert "Your comment was not saved yet" in body
    assert 'value="Hina Baig"' in body
    assert "The tankers came twice this week, &lt;and&gt; we still paid.</" in body
