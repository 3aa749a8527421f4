"""Who answers readers under a realistic mix of reads and writes: the proxy, the app's
cache, or a fresh render. Cache tags against one site-wide version, in the same run.

What it measures: readers over ``--articles`` articles with a Zipf popularity (plus
the home page and section pages) while one comment is approved a second and one
article is published a minute, through the production recipe: Varnish with the
project's VCL (purging by xkey) in front of ``dateline serve`` with Redis as the
shared cache. For each mode it reports

* the share of reader requests the proxy answered (``X-Cache: HIT``);
* of the requests that reached the app, the share its page cache answered
  (``X-Page-Cache: hit``) rather than rendered. Target: at least 95 % with tags.
  Most of them are the proxy's own: it serves a page past its TTL from grace and
  fetches it again in the background, so a reader never waits for them. They are
  counted from Varnish's backend log (``varnishncsa -b``), every fetch once.

Modes: ``tags`` (``DATELINE_CACHE_TAGS=1``, the default) and ``site-wide``
(``DATELINE_CACHE_TAGS=0``: every change retires every stored page, as before tags).
Both run against the same data, with a fresh Redis and a fresh Varnish each, after
the same warm-up (every page requested once), with the same seeded request stream.

The proxy keeps pages ``--proxy-ttl`` seconds (30) against the app's 600, so that in
a run of minutes pages leave the proxy as they would over hours with the production
300 s, and come back to the app: that is the traffic the app's cache is for.

How: a temporary data directory with the demo outlet plus ``--articles`` generated
articles (SQLite: the database is not what is measured), a ``redis-server`` of its
own, ``dateline serve --workers 2``, Varnish, ``--readers`` Python threads reading
(the load generator of ``servers.py``'s shape: keep-alive ``http.client``
connections, but over a mix of addresses), and a writer process running the
comment approvals and publishes through the real actions. Run it from the
repository root::

    .venv/bin/python benchmarks/cache_mix.py [--articles 1000] [--seconds 120]
        [--readers 8] [--proxy-ttl 30]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import servers  # noqa: E402

from dateline.testing.proxy import Varnish, free_port, varnishd  # noqa: E402
from dateline.testing.stack import RedisServer, redis_server_bin  # noqa: E402

MODES = {"tags": "1", "site-wide": "0"}
HOST = "127.0.0.1"

LIST_PATHS = """
import json
from dateline.newsroom.models import ArticlePage, SectionPage
articles = [a.url for a in ArticlePage.objects.released().order_by("pk")]
sections = [s.url for s in SectionPage.objects.live()]
print(json.dumps({"articles": articles, "sections": sections}))
"""

WRITER = """
import random, time
from dateline.comments.actions import do_moderate_comment
from dateline.newsroom.actions import do_publish_article
from dateline.newsroom.models import ArticlePage
from dateline.testing.factories import make_comment

rng = random.Random(7)
ids = list(ArticlePage.objects.released().order_by("pk").values_list("pk", flat=True))
weights = [1 / (rank + 1) ** {zipf} for rank in range(len(ids))]
started = time.monotonic()
approvals = publishes = 0
while time.monotonic() - started < {seconds}:
    article = ArticlePage.objects.get(pk=rng.choices(ids, weights)[0])
    do_moderate_comment(make_comment(article, approved=False), "approve")
    approvals += 1
    if approvals % 60 == 0:
        article.title = article.title + " (updated)"
        do_publish_article(article)
        publishes += 1
    time.sleep(max(0, started + approvals - time.monotonic()))
print(approvals, publishes)
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=120.0, help="per mode")
    parser.add_argument("--readers", type=int, default=8, help="reader threads")
    parser.add_argument("--proxy-ttl", type=int, default=30)
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent")
    parser.add_argument("--modes", default="tags,site-wide")
    return parser.parse_args(argv)


def dateline(env, *argv, timeout=900) -> str:
    done = subprocess.run(
        [str(servers.bin_dir() / "dateline"), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return done.stdout


def prepare(data_dir: Path, articles: int) -> dict:
    servers.prepare_demo(data_dir)
    env = servers.server_env(data_dir)
    print(f"Generating {articles:,} articles ...", flush=True)
    dateline(env, "generate", "--articles", str(articles), "--no-index")
    return json.loads(dateline(env, "shell", "-c", LIST_PATHS).strip().splitlines()[-1])


def request_stream(paths: dict, zipf: float, seed: int):
    """Endless (path) choices: 85 % articles by Zipf rank, 10 % home, 5 % sections."""
    rng = random.Random(seed)  # noqa: S311 - a load mix, not security
    articles = paths["articles"]
    weights = [1 / (rank + 1) ** zipf for rank in range(len(articles))]
    while True:
        roll = rng.random()
        if roll < 0.85:
            yield rng.choices(articles, weights)[0]
        elif roll < 0.95:
            yield "/"
        else:
            yield rng.choice(paths["sections"])


class Reader(threading.Thread):
    def __init__(self, port, stream, deadline, tally, lock):
        super().__init__(daemon=True)
        self.port, self.stream, self.deadline = port, stream, deadline
        self.tally, self.lock = tally, lock

    def run(self):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        while time.monotonic() < self.deadline:
            with self.lock:
                path = next(self.stream)
            try:
                connection.request("GET", path, headers={"Host": "localhost"})
                response = connection.getresponse()
                response.read()
                outcome = classify(response)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
                outcome = "error"
            with self.lock:
                self.tally[outcome] += 1


def classify(response) -> str:
    if response.status != 200:
        return f"status {response.status}"
    if response.getheader("X-Cache") == "HIT":
        return "proxy"
    return "app hit" if response.getheader("X-Page-Cache") == "hit" else "app render"


def warm(port, paths):
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    for path in ["/", *paths["sections"], *paths["articles"]]:
        connection.request("GET", path, headers={"Host": "localhost"})
        connection.getresponse().read()
    connection.close()


def run_mode(mode, data_dir, paths, args) -> dict:
    with RedisServer(free_port()) as redis:
        app_port = free_port()
        with Varnish(app_port) as proxy:
            env = servers.server_env(data_dir)
            env.update(
                REDIS_URL=redis.url,
                DATELINE_CACHE_TAGS=MODES[mode],
                DATELINE_PROXY_PURGE_URL=proxy.url,
                DATELINE_PROXY_MAX_AGE=str(args.proxy_ttl),
                DATELINE_SCHEDULER="0",
                DATELINE_COMMENTS_MIN_SECONDS="0",
                ALLOWED_HOSTS="localhost,127.0.0.1",
            )
            server = subprocess.Popen(  # noqa: S603 - our own command line
                [str(servers.bin_dir() / "dateline"), "serve", "--port", str(app_port)]
                + ["--workers", "2"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                servers.wait_until_ready(server, app_port)
                print(f"[{mode}] warming every page once ...", flush=True)
                warm(proxy.port, paths)
                return measure(mode, env, proxy, paths, args)
            finally:
                servers.stop_server(server)


def backend_log(proxy, path):
    """Every request Varnish sends the app, with how the app answered it."""
    return subprocess.Popen(  # noqa: S603 - our own command line
        ["varnishncsa", "-b", "-n", str(proxy.workdir / "state")]
        + ["-F", "%s %{X-Page-Cache}o %U"],
        stdout=path.open("w"),
        stderr=subprocess.DEVNULL,
    )


def app_answers(path) -> Counter:
    answers = Counter()
    for line in path.read_text().splitlines():
        status, page_cache = (line.split() + ["", ""])[:2]
        answers["app hit" if page_cache == "hit" else f"app {status}"] += 1
    return answers


def measure(mode, env, proxy, paths, args) -> dict:
    print(f"[{mode}] {args.seconds:g} s of readers and writes ...", flush=True)
    log_path = proxy.workdir / "backend.log"
    log = backend_log(proxy, log_path)
    time.sleep(1)  # attached before the first request
    writer = subprocess.Popen(  # noqa: S603 - our own command line
        [str(servers.bin_dir() / "dateline"), "shell", "-c"]
        + [WRITER.format(seconds=args.seconds, zipf=args.zipf)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    tally, lock = Counter(), threading.Lock()
    stream = request_stream(paths, args.zipf, seed=11)
    deadline = time.monotonic() + args.seconds
    readers = [
        Reader(proxy.port, stream, deadline, tally, lock) for _ in range(args.readers)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    time.sleep(2)  # the last background fetches land
    log.terminate()
    log.wait(timeout=10)
    output = writer.communicate(timeout=120)[0].splitlines()
    counts = [line.split() for line in output if re.fullmatch(r"\d+ \d+", line)]
    written = counts[-1] if counts else ["?", "?"]
    return {
        "mode": mode,
        "tally": dict(tally),
        "app": dict(app_answers(log_path)),
        "writes": written,
    }


def report(results, args):
    print()
    print(
        f"{args.articles:,} articles, Zipf {args.zipf:g}, {args.readers} readers, "
        f"{args.seconds:g} s per mode, proxy TTL {args.proxy_ttl} s, app TTL 600 s"
    )
    header = (
        f"{'mode':<10} {'readers':>9} {'proxy':>8} {'reached app':>12} "
        f"{'app cache':>10} {'approvals':>10} {'publishes':>10} {'errors':>7}"
    )
    print(header)
    for result in results:
        t, app = result["tally"], result["app"]
        total, reached = sum(t.values()), sum(app.values())
        errors = total - sum(t.get(k, 0) for k in ("proxy", "app hit", "app render"))
        approvals, publishes = (result["writes"] + ["?", "?"])[:2]
        print(
            f"{result['mode']:<10} {total:>9,} {share(t.get('proxy', 0), total):>8} "
            f"{reached:>12,} {share(app.get('app hit', 0), reached):>10} "
            f"{approvals:>10} {publishes:>10} {errors:>7}"
        )
        print(f"{'':<10} app answers: {dict(sorted(app.items()))}")


def share(part, whole) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def main(argv=None) -> int:
    args = parse_args(argv)
    if not varnishd() or not redis_server_bin():
        print("needs varnishd (with varnish-modules) and redis-server")
        return 1
    with tempfile.TemporaryDirectory(prefix="dateline-cache-mix-") as tmp:
        data_dir = Path(tmp)
        paths = prepare(data_dir, args.articles)
        results = [
            run_mode(mode, data_dir, paths, args) for mode in args.modes.split(",")
        ]
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
