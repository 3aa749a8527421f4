"""The several-machine recipe losing one part at a time, for real: two app nodes, a
worker, a PostgreSQL primary and its streaming replica, Redis and two Varnish
instances balancing over the nodes (``dateline/testing/topology.py``, what
``deploy/topology.py`` starts). One topology serves the whole module; each test takes
one part away, checks what readers and commenters get through the proxies, brings the
part back and checks the site recovers without a restart.
"""

import threading
import time
import uuid
from collections import Counter

import psycopg
import pytest

from dateline.testing.postgres import postgres_bin
from dateline.testing.proxy import varnishd
from dateline.testing.stack import (
    COMMENT_WORDS,
    post_comment,
    redis_server_bin,
    request,
    require,
    wait_for,
)
from dateline.testing.topology import Topology

pytestmark = pytest.mark.own_stack

ARTICLE = "/pakistan/capital-water-plan/"
HEADLINE = "Islamabad unveils five-year plan to cut water losses"
KEPT = "The tankers came twice this week, &lt;and&gt; we still paid.</"
ACKNOWLEDGED = {200, 302}


@pytest.fixture(scope="module")
def site():
    require(varnishd(), "varnishd")
    require(postgres_bin(), "PostgreSQL's server programs (initdb, pg_basebackup)")
    require(redis_server_bin(), "redis-server")
    settings = {
        # Every poster comes from 127.0.0.1 through the proxies: limits of a crowd.
        "DATELINE_COMMENTS_RATE_PER_IP": "100000/60",
        "DATELINE_COMMENTS_RATE_PER_EMAIL": "100000/60",
        "DATELINE_COMMENTS_MIN_SECONDS": "0",
        "DATELINE_REPLICA_PROBE_SECONDS": "1",
        # A thread for every client a node gets here, as a node should be sized: the
        # proxies' health probe then waits for the interpreter, not behind a queue
        # of page builds, and a busy node is not taken for a dead one.
        "DATELINE_THREADS": "24",
    }
    # In the system's temporary folder: pytest's own is closed to the postgres user.
    with Topology(nodes_count=2, settings=settings) as topology:
        for node in topology.nodes:
            node.warm(fresh(ARTICLE, "warm"))
        yield topology


def fresh(path, tag):
    """An address neither proxy nor page cache holds: the page is built by a node."""
    return f"{path}?reader={tag}"


def stored_bodies(primary, marker):
    with psycopg.connect(primary.url) as connection:
        rows = connection.execute(
            "SELECT body FROM dateline_comments_comment WHERE body LIKE %s",
            [f"%{marker}%"],
        ).fetchall()
    return {row[0] for row in rows}


def assert_comment_kept(response):
    status, headers, body = response
    assert status == 503, body
    assert headers["Retry-After"] == "60"
    assert "Your comment was not saved yet" in body
    assert 'value="Hina Baig"' in body
    assert KEPT in body
    assert "Traceback" not in body


def assert_nodes_running(site):
    for node in site.nodes:
        assert node.running(), node.output()[-3000:]


class Load:
    """Readers on pages the nodes must build, and commenters, through both proxies
    in turn, until ``stop()``; every answer is recorded."""

    def __init__(self, site, readers=32, posters=8):
        self.site, self.marker = site, f"load-{uuid.uuid4().hex[:8]}"
        self.done, self.killed = threading.Event(), threading.Event()
        self.after_kill, self.served = 0, Counter()
        self.reads, self.posts, self.lock = Counter(), [], threading.Lock()
        self.threads = [
            threading.Thread(target=self.read, args=(n,)) for n in range(readers)
        ] + [threading.Thread(target=self.post, args=(n,)) for n in range(posters)]

    def proxy(self, number):
        return self.site.proxies[number % len(self.site.proxies)].url

    def read(self, number):
        sent = 0
        while not self.done.is_set():
            sent += 1
            url = self.proxy(number + sent) + fresh(ARTICLE, f"{number}-{sent}")
            try:
                status, headers, body = request(url)
                outcome = status if HEADLINE in body or status != 200 else "wrong"
                self.served[headers.get("X-Cache")] += 1
            except OSError as exc:
                outcome = type(exc).__name__
            with self.lock:
                self.reads[outcome] += 1
                self.after_kill += self.killed.is_set()

    def post(self, number):
        sent = 0
        while not self.done.is_set():
            sent += 1
            body = f"{COMMENT_WORDS} {self.marker}-{number}-{sent}"
            try:
                status = post_comment(self.proxy(number + sent), "Hina Baig", body)[0]
            except OSError as exc:
                status = type(exc).__name__
            with self.lock:
                self.posts.append((body, status, self.killed.is_set()))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=90)


def test_a_node_killed_under_load_loses_no_read_and_no_acknowledged_comment(site):
    dead, survivor = site.nodes
    try:
        with Load(site) as load:
            time.sleep(3)
            dead.kill()
            load.killed.set()
            time.sleep(8)
        assert survivor.running()
    finally:
        if not dead.running():  # the machine comes back: the probes take it in again
            dead.start()
    assert not any(thread.is_alive() for thread in load.threads)

    assert set(load.reads) == {200}, load.reads
    assert set(load.served) == {"MISS"}, load.served  # every page built by a node
    assert load.after_kill > 0, load.reads  # read while a node lay dead
    acknowledged = {body for body, status, _ in load.posts if status in ACKNOWLEDGED}
    refused = Counter(s for _, s, _ in load.posts if s not in ACKNOWLEDGED)
    # A post the dead node was handling fails in the open, never as a false "saved".
    assert all(isinstance(status, str) or status >= 500 for status in refused), refused
    assert any(s in ACKNOWLEDGED for _, s, after in load.posts if after), load.posts
    stored = stored_bodies(site.primary, load.marker)
    assert acknowledged <= stored, acknowledged - stored
    wait_for(lambda: request(dead.url + fresh(ARTICLE, "back"))[0] == 200, "node1")


def test_reads_move_to_the_primary_when_the_replica_stops(site):
    site.replica.stop()
    try:
        stopped_at, statuses = time.monotonic(), []
        while time.monotonic() - stopped_at < 8:
            late = time.monotonic() - stopped_at > 5
            status, _, body = request(
                site.proxies[len(statuses) % 2].url
                + fresh(ARTICLE, f"no-replica-{len(statuses)}")
            )
            statuses.append((late, status))
            if late:
                assert status == 200 and HEADLINE in body, body
        assert sum(late for late, _ in statuses) >= 5, statuses
        assert all(status < 500 for late, status in statuses if late), statuses
    finally:
        site.replica.start()


def test_stored_pages_and_kept_comments_while_the_primary_is_down(site):
    for proxy in site.proxies:
        request(proxy.url + ARTICLE)
        assert request(proxy.url + ARTICLE)[1]["X-Cache"] == "HIT"
    pids = [node.popen.pid for node in site.nodes]

    site.primary.stop()
    try:
        for proxy in site.proxies:
            status, _, body = request(proxy.url + ARTICLE)
            assert status == 200 and HEADLINE in body
            assert_comment_kept(post_comment(proxy.url, "Hina Baig"))
    finally:
        site.primary.start()

    marker = f"after-{uuid.uuid4().hex[:8]}"
    body = f"{COMMENT_WORDS} {marker}"
    wait_for(
        lambda: post_comment(site.proxies[0].url, "Hina Baig", body)[0] == 302,
        "a comment stored once the primary is back",
    )
    assert stored_bodies(site.primary, marker)
    status, _, body = request(site.proxies[1].url + fresh(ARTICLE, "primary-back"))
    assert status == 200 and HEADLINE in body
    assert [node.popen.pid for node in site.nodes] == pids
    assert_nodes_running(site)


def test_pages_without_redis_and_comments_kept_until_it_returns(site):
    site.redis.stop()
    try:
        for number, proxy in enumerate(site.proxies):
            for path in (ARTICLE, fresh(ARTICLE, f"no-redis-{number}"), "/"):
                status, _, body = request(proxy.url + path)
                assert status == 200, body
                assert "Traceback" not in body
            # Rate limits cannot be counted: the comment is refused, its text kept.
            assert_comment_kept(post_comment(proxy.url, "Hina Baig"))
    finally:
        site.redis.start()

    wait_for(
        lambda: post_comment(site.proxies[1].url, "Hina Baig")[0] == 302,
        "a comment stored once Redis is back",
    )
    assert request(site.proxies[0].url + fresh(ARTICLE, "redis-back"))[0] == 200
    assert_nodes_running(site)


def test_one_varnish_stopped_the_other_serves(site):
    first, second = site.proxies
    first.stop()
    try:
        with pytest.raises(OSError):
            request(first.url + ARTICLE)
        status, _, body = request(second.url + ARTICLE)
        assert status == 200 and HEADLINE in body
        assert request(second.url + fresh(ARTICLE, "one-proxy"))[0] == 200
        assert post_comment(second.url, "Hina Baig")[0] == 302
    finally:
        first.start()
    assert request(first.url + ARTICLE)[0] == 200
