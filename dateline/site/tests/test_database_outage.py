"""The production recipe with its database stopped for real: readers keep getting
stored pages through the caching proxy, a comment posted meanwhile comes back as a 503
that keeps the reader's words, and the site recovers when the database returns,
without a restart.

The test runs a PostgreSQL cluster of its own (the suite's database is never touched),
``dateline demo --no-serve`` and ``dateline serve`` in processes of their own, Redis
for the cache and the production VCL in a real Varnish.
"""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from dateline.testing.postgres import PostgresCluster, postgres_bin
from dateline.testing.proxy import Varnish, free_port, varnishd
from dateline.testing.stack import (
    REDIS_URL,
    forget_cache,
    prepare_demo,
    redis_up,
    request,
    require,
)

pytestmark = pytest.mark.own_stack

DATELINE = [sys.executable, "-m", "dateline.cli"]
ARTICLE = "/pakistan/capital-water-plan/"
HEADLINE = "Islamabad unveils five-year plan to cut water losses"
UNVIEWED = "/climate/karakoram-glacier-survey/"
UNVIEWED_HEADLINE = "Survey team finds faster thinning"
# Seconds the proxy and the app keep a page: the outage outlasts both.
TTL = 2


def running(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # an exited child not yet reaped


class OutageSite:
    """``dateline serve`` behind Varnish; ``database`` can be stopped and started."""

    def __init__(self, database, proxy, server, log):
        self.database, self.proxy, self.server, self.log = database, proxy, server, log

    def get(self, path):
        return request(self.proxy.url + path)

    def wait_until_serving(self, path, seconds=120):
        deadline = time.monotonic() + seconds
        while self.server.poll() is None and time.monotonic() < deadline:
            try:
                if self.get(path)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"dateline serve did not serve {path}:\n{self.output()}")

    def post_comment(self, path, **fields):
        status, _, page = self.get(path)
        assert status == 200, page
        action = re.search(r'action="(/comments/\d+/post/)', page)[1]
        return request(
            self.proxy.url + action,
            fields={"email": "hina@example.com", "website": "", **fields},
            headers={"Origin": self.proxy.url},
        )

    def output(self):
        return self.log.read_text(errors="replace")


def environment(tmp_path, database, proxy, cache_prefix):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
    }
    env.update(
        DATELINE_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=database.url,
        REDIS_URL=REDIS_URL,
        # Keys of its own: another run sharing this Redis database never sees them.
        CACHE_KEY_PREFIX=cache_prefix,
        SECRET_KEY="k" * 50,
        DATELINE_HTTPS="0",
        DATELINE_PROXY_PURGE_URL=proxy.url,
        DATELINE_PROXY_MAX_AGE=str(TTL),
        DATELINE_PAGE_CACHE_SECONDS=str(TTL),
    )
    return env


@pytest.fixture
def site(tmp_path):
    require(varnishd(), "varnishd")
    require(postgres_bin(), "PostgreSQL's server programs (initdb)")
    require(redis_up(), f"Redis at {REDIS_URL}")
    app_port, prefix = free_port(), f"dateline-outage-{uuid.uuid4().hex}"
    with PostgresCluster() as database, Varnish(app_port) as proxy:
        env = environment(tmp_path, database, proxy, prefix)
        prepare_demo(env, timeout=180)
        log = tmp_path / "serve.log"
        with log.open("w") as output:
            server = subprocess.Popen(  # noqa: S603 - our own command line
                [*DATELINE, "serve", "--port", str(app_port), "--workers", "2"],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            yield OutageSite(database, proxy, server, log)
        finally:
            server.terminate()
            server.wait(timeout=30)
            forget_cache(prefix)


def test_readers_and_commenters_through_a_database_outage(site):
    site.wait_until_serving(ARTICLE)
    status, headers, _ = site.get(ARTICLE)
    assert (status, headers["X-Cache"]) == (200, "HIT")

    site.database.stop()
    time.sleep(TTL + 1)
    for _ in range(4):
        status, headers, body = site.get(ARTICLE)
        assert status == 200, site.output()
        assert HEADLINE in body
        assert int(headers["Age"]) > TTL
        # Each stale hit asks the app again in the background; let that answer land.
        time.sleep(0.3)
    status, headers, body = site.get(UNVIEWED)  # never stored: "back in a moment"
    assert (status, headers["Retry-After"]) == (503, "60")
    assert "Back in a moment" in body and "Traceback" not in body

    words = "The tankers came twice this week, <and> we still paid."
    status, headers, body = site.post_comment(ARTICLE, name="Hina Baig", body=words)
    assert status == 503, body
    assert headers["Retry-After"] == "60"
    assert "Your comment was not saved yet" in body
    assert 'value="Hina Baig"' in body
    assert "The tankers came twice this week, &lt;and&gt; we still paid.</" in body
    assert "Traceback" not in body

    site.database.start()
    status, _, body = site.get(UNVIEWED)
    assert status == 200, site.output()
    assert UNVIEWED_HEADLINE in body
    status, headers, body = site.post_comment(ARTICLE, name="Hina Baig", body=words)
    assert status == 302, body
    assert headers["Location"].startswith(ARTICLE)
    # The same server all along, and its scheduling worker lived through it too.
    assert site.server.poll() is None
    worker = int(re.search(r"worker process \(pid (\d+)\)", site.output())[1])
    assert running(worker), site.output()
