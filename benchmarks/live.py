"""Live coverage under readers who keep the page open: who answers their polls, how
fast an entry reaches them, and what a very long live page costs to render.

What it measures, through the production recipe (Varnish with the project's VCL,
purging by xkey, in front of ``dateline serve --workers 2`` with Redis as the shared
cache), in one run:

* **live**: ``--readers`` simulated readers (2,000 by default: a small share of a
  big story's audience, scaled to a 2-core machine) each polling the demo live page's
  ``entries/?after=<newest they have>`` every ``--interval`` seconds (10), while two
  reporters each post an entry every 5 s through ``do_post_entry``. Reported: the
  share of polls Varnish answered, the requests per second that reached the app
  (from Varnish's backend log), the time from an entry's commit to the first reader
  holding it (p50/p99), the time to every reader's next poll holding it (p50/p99 over
  reader × entry), and errors.
* **reference**: the same readers at the same rate requesting the demo's lead
  article instead, the reporters posting as before.
* **render**: a live page of ``--entries`` (2,000) entries against an ordinary
  article, each rendered uncached in a ``dateline shell`` (median of 20), so the
  ratio says what a long-running live page costs when the caches are cold.

The load generator is asyncio over ``--connections`` (64) keep-alive connections, as
readers behind one proxy would share few connections to it; it is a single process
on the same 2 cores as the servers, so the figures are for a small machine. Run it
from the repository root::

    .venv/bin/python benchmarks/live.py [--readers 2000] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cache_mix  # noqa: E402
import servers  # noqa: E402

from dateline.testing.proxy import Varnish, free_port, varnishd  # noqa: E402
from dateline.testing.stack import RedisServer, redis_server_bin  # noqa: E402

HOST = "127.0.0.1"
LIVE_PATH = "/pakistan/monsoon-flooding-live/"
ARTICLE_PATH = "/pakistan/capital-water-plan/"

REPORTER = """
import sys, time
from dateline.live.actions import do_post_entry
from dateline.live.models import LivePage

page = LivePage.objects.get(url_path__endswith="/monsoon-flooding-live/")
started, number = time.monotonic(), 0
while time.monotonic() - started < {seconds}:
    number += 1
    entry = do_post_entry(page, body=f"<p>Reporter {name}, update {{number}}</p>")
    print("posted", entry.pk, time.time(), flush=True)
    time.sleep(max(0, started + number * {every} - time.monotonic()))
"""

RENDER = """
import statistics, time
from django.conf import settings
from django.test import Client
from django.utils import timezone
from dateline.live.models import LiveEntry, LivePage
from dateline.newsroom.models import ArticlePage

settings.DATELINE_PAGE_CACHE = False
settings.ALLOWED_HOSTS = ["*"]
page = LivePage.objects.get(url_path__endswith="/monsoon-flooding-live/")
long = page.copy(update_attrs={{"slug": "long-live", "title": "A long live page"}})
now = timezone.now()
LiveEntry.objects.bulk_create(
    LiveEntry(page=long, posted_at=now, title=f"Entry {{n}}" if n % 7 == 0 else "",
              body=f"<p>Update number {{n}} of a long day.</p>", approved=True,
              key_event=n % 50 == 0, pinned=n in (1, 2))
    for n in range({entries})
)
client = Client()

def median_ms(url):
    assert client.get(url).status_code == 200
    times = []
    for _ in range(20):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)

article = ArticlePage.objects.get(url_path__endswith="/capital-water-plan/")
print("render", median_ms(long.url), median_ms(article.url), flush=True)
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=2000)
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=60.0, help="per phase")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--post-every", type=float, default=5.0)
    parser.add_argument("--entries", type=int, default=2000)
    return parser.parse_args(argv)


class Client:
    """A keep-alive HTTP/1.1 connection to the proxy, for asyncio."""

    def __init__(self, port):
        self.port, self.reader, self.writer = port, None, None

    async def get(self, path) -> tuple[int, dict, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            return status, headers, await self.chunked()
        body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        return status, headers, body

    async def chunked(self) -> bytes:
        body = b""
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await self.reader.readexactly(size + 2)
            if not size:
                return body
            body += chunk[:-2]

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


class Readers:
    """Readers polling every ``interval`` seconds, each from a random start."""

    def __init__(self, port, args, poll_live: bool):
        self.port, self.args, self.poll_live = port, args, poll_live
        self.tally = Counter()
        self.latest = [0] * args.readers
        self.seen: dict[int, list[float]] = {}  # entry id -> when readers got it

    async def run(self, deadline):
        # Earliest due first, so no connection waits on a late reader while others
        # are due (and sits idle long enough for Varnish to close it).
        queue: asyncio.PriorityQueue = asyncio.PriorityQueue()
        rng = random.Random(3)  # noqa: S311 - a load mix, not security
        start = time.monotonic()
        for reader in range(self.args.readers):
            queue.put_nowait((start + rng.random() * self.args.interval, reader))
        clients = [Client(self.port) for _ in range(self.args.connections)]
        workers = [self.work(c, queue, deadline) for c in clients]
        await asyncio.gather(*workers)
        for client in clients:
            client.close()

    async def work(self, client, queue, deadline):
        while True:
            due, reader = await queue.get()
            if due >= deadline:
                return
            await asyncio.sleep(max(0, due - time.monotonic()))
            await self.poll(client, reader)
            queue.put_nowait((due + self.args.interval, reader))

    async def poll(self, client, reader):
        path = (
            f"{LIVE_PATH}entries/?after={self.latest[reader]}"
            if self.poll_live
            else ARTICLE_PATH
        )
        try:
            status, headers, body = await self.get(client, path)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            client.close()
            self.tally["error"] += 1
            return
        if status != 200:
            self.tally[f"status {status}"] += 1
            return
        if self.poll_live:
            try:
                self.note(reader, json.loads(body))
            except ValueError:
                self.tally["bad answer"] += 1
                return
        self.tally["proxy" if headers.get("x-cache") == "HIT" else "app"] += 1

    @staticmethod
    async def get(client, path):
        """A keep-alive connection the proxy closed while idle is opened again once,
        as a browser would; a second failure is an error."""
        try:
            return await client.get(path)
        except (OSError, asyncio.IncompleteReadError):
            client.close()
            return await client.get(path)

    def note(self, reader, answer):
        now = time.time()
        for entry in re.findall(r'data-entry="(\d+)"', answer["html"]):
            if int(entry) > self.latest[reader]:
                self.seen.setdefault(int(entry), []).append(now)
        self.latest[reader] = max(self.latest[reader], answer["latest"])


def start_reporters(env, args) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(  # noqa: S603 - our own command line
            [str(servers.bin_dir() / "dateline"), "shell", "-c"]
            + [REPORTER.format(seconds=args.seconds, every=args.post_every, name=name)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for name in ("A", "B")
    ]


def posts_of(reporters) -> dict[int, float]:
    posted = {}
    for reporter in reporters:
        output = reporter.communicate(timeout=120)[0]
        for line in output.splitlines():
            if line.startswith("posted "):
                _, pk, when = line.split()
                posted[int(pk)] = float(when)
    return posted


def phase(name, env, proxy, args, poll_live: bool) -> dict:
    print(f"[{name}] {args.readers:,} readers for {args.seconds:g} s ...", flush=True)
    log_path = proxy.workdir / f"{name}.log"
    log = cache_mix.backend_log(proxy, log_path)
    time.sleep(1)
    reporters = start_reporters(env, args)
    time.sleep(3)  # the reporters' Django has started
    readers = Readers(proxy.port, args, poll_live)
    started, wall_started = time.monotonic(), time.time()
    asyncio.run(readers.run(started + args.seconds))
    elapsed = time.monotonic() - started
    posted = posts_of(reporters)
    time.sleep(1)
    log.terminate()
    log.wait(timeout=10)
    app = cache_mix.app_answers(log_path)
    return {
        "name": name,
        "tally": readers.tally,
        "app_requests": sum(app.values()),
        "seconds": elapsed,
        # Entries posted while readers were polling, with a poll interval to spare.
        "posted": {
            pk: when
            for pk, when in posted.items()
            if when <= wall_started + args.seconds - args.interval
        },
        "seen": readers.seen,
    }


def delays(result):
    first, every = [], []
    for pk, when in result["posted"].items():
        seen = result["seen"].get(pk)
        if seen:
            first.append(min(seen) - when)
            every += [moment - when for moment in seen]
    return first, every


def percentile(samples, q) -> str:
    if not samples:
        return "-"
    ordered = sorted(samples)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))]:.2f} s"


def report(results, render, args):
    print()
    print(
        f"{args.readers:,} readers polling every {args.interval:g} s over "
        f"{args.connections} connections; 2 reporters posting every "
        f"{args.post_every:g} s; {args.seconds:g} s per phase"
    )
    print(
        f"{'phase':<10} {'polls':>8} {'by Varnish':>11} {'app req/s':>10} "
        f"{'errors':>7} {'entries':>8} {'first p50':>10} {'first p99':>10} "
        f"{'all p50':>8} {'all p99':>8}"
    )
    for result in results:
        tally = result["tally"]
        polls = sum(tally.values())
        errors = polls - tally["proxy"] - tally["app"]
        first, every = delays(result)
        shown = f"{len(first)}/{len(result['posted'])}" if result["seen"] else "-"
        print(
            f"{result['name']:<10} {polls:>8,} "
            f"{cache_mix.share(tally['proxy'], polls):>11} "
            f"{result['app_requests'] / result['seconds']:>10.1f} {errors:>7} "
            f"{shown:>8} {percentile(first, 0.5):>10} {percentile(first, 0.99):>10} "
            f"{percentile(every, 0.5):>8} {percentile(every, 0.99):>8}"
        )
    for result in results:
        outcomes = dict(sorted(result["tally"].items()))
        print(f"{result['name']}: polls by outcome {outcomes}")
    live_ms, article_ms = render
    print(
        f"uncached render: {args.entries:,}-entry live page {live_ms:.1f} ms, "
        f"article {article_ms:.1f} ms (x{live_ms / article_ms:.2f})"
    )


def render_times(env, args) -> tuple[float, float]:
    print(f"[render] a {args.entries:,}-entry live page against an article ...")
    output = cache_mix.dateline(env, "shell", "-c", RENDER.format(entries=args.entries))
    line = next(line for line in output.splitlines() if line.startswith("render "))
    _, live_ms, article_ms = line.split()
    return float(live_ms), float(article_ms)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not varnishd() or not redis_server_bin():
        print("needs varnishd (with varnish-modules) and redis-server")
        return 1
    with tempfile.TemporaryDirectory(prefix="dateline-live-") as tmp:
        data_dir = Path(tmp)
        servers.prepare_demo(data_dir)
        with RedisServer(free_port()) as redis:
            app_port = free_port()
            with Varnish(app_port) as proxy:
                env = servers.server_env(data_dir)
                env.update(
                    REDIS_URL=redis.url,
                    DATELINE_PROXY_PURGE_URL=proxy.url,
                    DATELINE_SCHEDULER="0",
                    ALLOWED_HOSTS="localhost,127.0.0.1",
                )
                server = subprocess.Popen(  # noqa: S603 - our own command line
                    [str(servers.bin_dir() / "dateline"), "serve"]
                    + ["--port", str(app_port), "--workers", "2"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                try:
                    servers.wait_until_ready(server, app_port)
                    results = [
                        phase("live", env, proxy, args, poll_live=True),
                        phase("reference", env, proxy, args, poll_live=False),
                    ]
                finally:
                    servers.stop_server(server)
            render = render_times(env, args)
    report(results, render, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
