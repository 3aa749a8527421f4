"""What more app nodes and a second Varnish buy, on the several-machine recipe.

One run starts the topology of ``deploy/topology.py`` with four app nodes
(``dateline serve --workers 1`` each: one granian process, 4 threads) and two
Varnish instances, plus, as the reference, the single-node recipe beside it: one
``dateline serve --workers 2`` behind one Varnish with ``backends.vcl``, on the same
PostgreSQL primary and Redis. Then it measures:

1. uncached article views through one Varnish whose director spans 1, 2 and 4 of the
   nodes (every request a new address, ``?bench=N``: Varnish and the page cache
   miss, a node builds the page), against the single-node recipe measured the same
   way; per-core efficiency is the speed-up over one node divided by the cores the
   nodes can use (``min(nodes, cores)``);
2. proxy hits (the article page stored in Varnish) through one Varnish, then through
   both at once with the same total concurrency, against the single-node recipe's
   Varnish;
3. publish-to-live across both proxies: ``do_publish_article`` in a process of its
   own, until both Varnishes serve the new standfirst; the slowest of 10 (target
   under 1 s), against the single-node recipe's one proxy.

Load comes from Python threads with keep-alive connections, for every row alike (the
uncached rows need a new address per request). They share the machine's cores with
every server and hold the GIL, so proxy hits measure the generator as much as
Varnish: read the ratios within one run, not absolute figures across machines.

    .venv/bin/python benchmarks/scaleout.py [--seconds 5] [--concurrency 16]
        [--publish-only]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from delivery import PUBLISHER_SCRIPT  # noqa: E402 - a sibling script

from dateline.testing.proxy import Varnish, free_port  # noqa: E402
from dateline.testing.stack import request, wait_for  # noqa: E402
from dateline.testing.topology import Node, Topology  # noqa: E402

ARTICLE = "/pakistan/capital-water-plan/"
PUBLISHES = 10
LIVE_TARGET_MS = 1000.0
LIVE_TIMEOUT = 10.0
CALLS: list[float] = []  # milliseconds each publish call took, of the current row
# The topology's nodes together should keep up with one node of the same processes.
TOPOLOGY_TARGET = 0.8
# The editor's side of publish-to-live, as the delivery benchmark runs it.
PUBLISHER = PUBLISHER_SCRIPT


@dataclass
class Row:
    case: str
    rps: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    errors: int | None = None
    reference: str = "-"
    ratio: float | None = None
    per_core: float | None = None
    target: str = "-"
    result: str = "-"
    notes: str = ""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--hit-concurrency", type=int, default=32)
    parser.add_argument(
        "--publish-only", action="store_true", help="only the publish-to-live rows"
    )
    return parser.parse_args(argv)


# --- load -------------------------------------------------------------------------


def load(urls, seconds, concurrency):
    """Python threads with keep-alive connections: (req/s, p50 ms, p95 ms, errors).
    ``urls`` yields (port, path) pairs, shared by the threads."""
    deadline = time.monotonic() + seconds
    lock, latencies, errors = threading.Lock(), [], [0]

    def client():
        connections = {}
        while time.monotonic() < deadline:
            with lock:
                port, path = next(urls)
            connection = connections.get(port) or http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30
            )
            connections[port] = connection
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                failed = response.status != 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connections.pop(port)
                failed = True
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                errors[0] += failed
        for connection in connections.values():
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return (
        len(latencies) / elapsed,
        percentile(latencies, 50),
        percentile(latencies, 95),
        errors[0],
    )


def percentile(samples, q):
    if not samples:
        return float("nan")
    return samples[min(len(samples) - 1, round(q / 100 * (len(samples) - 1)))]


def fresh_urls(ports):
    """A new address each time, in turn through each port."""
    counter = itertools.count()
    return ((ports[n % len(ports)], f"{ARTICLE}?bench={n}") for n in counter)


def same_urls(ports):
    return ((port, ARTICLE) for port in itertools.cycle(ports))


def measure(case, urls, args, concurrency, **fields):
    load(urls, args.warmup, concurrency)
    print(f"  {case}: {args.seconds:g} s at concurrency {concurrency} ...", flush=True)
    rps, p50, p95, errors = load(urls, args.seconds, concurrency)
    return Row(case, rps, p50, p95, errors, **fields)


# --- the reference: the single-node recipe ----------------------------------------


def single_node(topology, stack):
    """``dateline serve --workers 2`` behind one Varnish on the topology's stores,
    without the replica: the one-machine production recipe."""
    env = dict(topology.env)
    env.pop("DATABASE_REPLICA_URL")
    node = Node(0, free_port(), 2, env, topology.workdir)
    stack.callback(node.stop)
    node.start()
    node.warm(f"{ARTICLE}?bench=warm")
    return stack.enter_context(Varnish(node.port))


# --- publish-to-live --------------------------------------------------------------


def publisher(env, stack):
    process = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, "-c", PUBLISHER, ARTICLE],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    stack.callback(process.wait, 30)
    stack.callback(process.stdin.close)
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError("the publishing process did not start")
    return process


def publish_to_live(process, proxies, text):
    """Milliseconds from the publish call until every proxy serves ``text``; each
    proxy is polled by a reader of its own, as readers of both would. The call's
    own time (the commit, the replica wait, the purges) goes to ``CALLS``."""
    process.stdin.write(text + "\n")
    process.stdin.flush()
    deadline = time.monotonic() + LIVE_TIMEOUT
    seen = {}

    def reader(url):
        while time.monotonic() < deadline:
            if text in request(url + ARTICLE)[2]:
                seen[url] = time.time()
                return
            time.sleep(0.01)

    readers = [threading.Thread(target=reader, args=(p.url,)) for p in proxies]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    started, returned = map(float, process.stdout.readline().split())
    CALLS.append((returned - started) * 1000)
    if len(seen) < len(proxies):
        return None
    return (max(seen.values()) - started) * 1000


def publish_row(case, env, proxies, stack, reference=None):
    print(f"  {case}: {PUBLISHES} publishes ...", flush=True)
    process = publisher(env, stack)
    token = os.urandom(4).hex()
    publish_to_live(process, proxies, f"Scale-out {token} warm-up")
    CALLS.clear()
    lives = [
        publish_to_live(process, proxies, f"Scale-out {token} n{n}")
        for n in range(PUBLISHES)
    ]
    done = [live for live in lives if live is not None]
    worst = max(done) if len(done) == len(lives) else None
    row = Row(
        case,
        p50_ms=statistics.median(done) if done else None,
        errors=len(lives) - len(done),
        target=f"slowest < {LIVE_TARGET_MS:g} ms",
        result="PASS" if worst is not None and worst < LIVE_TARGET_MS else "MISS",
        notes=(
            f"slowest {worst:.0f} ms of {PUBLISHES}"
            if worst is not None
            else f"{len(lives) - len(done)} not live within {LIVE_TIMEOUT:g} s"
        )
        + f"; the publish call itself: median {statistics.median(CALLS):.0f} ms",
    )
    if reference is not None and reference.p50_ms and row.p50_ms:
        row.reference, row.ratio = (
            reference.case + " p50",
            row.p50_ms / reference.p50_ms,
        )
    return row


# --- the run ----------------------------------------------------------------------


def uncached_rows(topology, single, args, stack):
    cores = os.cpu_count() or 1
    reference = measure(
        "uncached, single-node recipe (1 node x 2 processes)",
        fresh_urls([single.port]),
        args,
        args.concurrency,
    )
    rows, one = [reference], None
    for count in (1, 2, 4):
        ports = [node.port for node in topology.nodes[:count]]
        proxy = stack.enter_context(Varnish(ports))
        wait_for(lambda p=proxy: request(p.url + ARTICLE)[0] == 200, "the proxy")
        row = measure(
            f"uncached, {count} node{'s' * (count > 1)} x 1 process",
            fresh_urls([proxy.port]),
            args,
            args.concurrency,
            reference="single-node recipe req/s",
        )
        row.ratio = row.rps / reference.rps
        one = one or row
        speedup = row.rps / one.rps
        row.per_core = speedup / min(count, cores)
        row.notes = f"{speedup:.2f}x one node; cores usable {min(count, cores)}"
        if count == 2:
            row.target = f">= {TOPOLOGY_TARGET:g}x reference"
            row.result = "PASS" if row.ratio >= TOPOLOGY_TARGET else "MISS"
        rows.append(row)
    return rows


def hit_rows(topology, single, args):
    for proxy in (single, *topology.proxies):
        request(proxy.url + ARTICLE)
        assert request(proxy.url + ARTICLE)[1]["X-Cache"] == "HIT"
    reference = measure(
        "proxy hit, single-node recipe's Varnish",
        same_urls([single.port]),
        args,
        args.hit_concurrency,
    )
    rows = [reference]
    for count in (1, 2):
        ports = [proxy.port for proxy in topology.proxies[:count]]
        row = measure(
            f"proxy hit, {count} Varnish{'es' * (count > 1)}",
            same_urls(ports),
            args,
            args.hit_concurrency,
            reference="single-node recipe's Varnish req/s",
        )
        row.ratio = row.rps / reference.rps
        rows.append(row)
    return rows


def print_table(rows):
    print()
    print(
        "| case | req/s | p50 ms | p95 ms | errors | reference | ratio |"
        " per-core efficiency | target | result | notes |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row.case} | {number(row.rps, 1)} | {number(row.p50_ms, 1)} |"
            f" {number(row.p95_ms, 1)} | {number(row.errors, 0)} | {row.reference} |"
            f" {ratio(row.ratio)} | {ratio(row.per_core)} | {row.target} |"
            f" {row.result} | {row.notes} |"
        )
    print()


def number(value, digits):
    return "-" if value is None else f"{value:,.{digits}f}"


def ratio(value):
    return "-" if value is None else f"{value:.2f}x"


def header(args):
    generator = "Python threads"
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores;"
        f" Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f};"
        f" {args.seconds:g} s per case after {args.warmup:g} s warm-up;"
        f" load generator: {generator}"
    )


def main(argv=None):
    args = parse_args(argv)
    header(args)
    print("Starting the topology (4 nodes, 2 Varnishes) and the single-node recipe...")
    with Topology(nodes_count=4) as topology, contextlib.ExitStack() as stack:
        for node in topology.nodes:
            node.warm(f"{ARTICLE}?bench=warm")
        single = single_node(topology, stack)
        rows = []
        if not args.publish_only:
            rows += uncached_rows(topology, single, args, stack)
            rows += hit_rows(topology, single, args)
        single_env = {**topology.env, "DATELINE_PROXY_PURGE_URL": single.url}
        reference = publish_row(
            "publish-to-live, single-node recipe (1 Varnish)",
            single_env,
            [single],
            stack,
        )
        rows += [
            reference,
            publish_row(
                "publish-to-live, both Varnishes",
                topology.env,
                topology.proxies,
                stack,
                reference,
            ),
        ]
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
