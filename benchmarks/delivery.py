"""How fast Dateline delivers pages, from the database to the caching proxy.

What it measures, on one data set (the demo outlet plus ``--articles`` generated,
published and indexed articles) and one database (SQLite with the file cache, or
PostgreSQL with Redis), each row against a reference measured in the same run:

1. the demo article rendered for every request (``DATELINE_PAGE_CACHE=0``) (reference:
   row 2, target 2x), and the database queries one such view makes, counted
   in-process with Django's test client;
2. the same page served the way stock Wagtail serves it: the same database, templates
   and settings without the project's site lookup, routing, view-restriction and
   kept-page shortcuts (``stock_wagtail/``), with its queries counted the same way;
3. the same article from the in-app page cache (reference: row 1, target 10x);
4. the same article from Varnish with the project's VCL (reference: row 5, target 0.8x);
5. a static file of the same HTML through the same Varnish: what a proxy hit costs
   when no application is involved;
6. publish-to-live: an editor's publish (``do_publish_article``, in its own process)
   until the new text is served by the proxy (target under 1 s);
7. comment posts per second against the cache-on server (reference: row 1);
8. search latency, ``/search/?q=water``, on the cache-off server (reference: row 1);
9. with ``--against REV``: the code at git revision REV, built with its own data set
   and served cache-off, its uncached article measured alternately with row 1's
   server (``--rounds`` times each); this code must keep >= 0.9x of its req/s
   (a page's cost may not grow by more than 10 %). SQLite only.

Everything runs on 127.0.0.1 in a temporary data directory; PostgreSQL runs use a
scratch database (analyzed after the bulk load, dropped at the end) and a key prefix
of their own in Redis database 14. Load comes from ``wrk`` when it is on PATH, else
from Python threads; after each case the server is given time to work off what the
load left queued. The table is printed and written as JSON and Markdown to
``benchmarks/results/``.

Run it from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/delivery.py [--articles 1000] [--db sqlite|postgres]
        [--seconds 10] [--concurrency 16] [--workers 2] [--against REV [--rounds 3]]

The load generator shares the machine's cores with the servers and the proxy, so
compare the ratios within one run rather than absolute numbers across machines.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.metadata
import json
import os
import platform
import queue
import re
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

# Sibling scripts (the script's folder is on sys.path): the comment posting threads
# and the wrk report format are theirs.
import comment_flood
import servers

from dateline.testing.proxy import Varnish, varnishd

HOST = "127.0.0.1"
SITE_HOST = "localhost"  # the demo site's hostname: the proxy's cache key and purges
ARTICLE_PATH = "/pakistan/capital-water-plan/"
STATIC_PATH = "/static/bench/article.html"
SEARCH_PATH = "/search/?q=water"
ALLOWED_HOSTS = "localhost,127.0.0.1,[::1],testserver"
PG_NAME = "dateline_bench_delivery"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/14"
BENCHMARKS_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCHMARKS_DIR / "results"
STOCK_SETTINGS = "stock_wagtail.settings"  # in BENCHMARKS_DIR, put on PYTHONPATH
PUBLISHES = 10
POLL_SECONDS = 0.005
LIVE_TIMEOUT = 10.0
PUBLISH_TIMEOUT = 60.0
START_TIMEOUT = 90.0
DRAIN_TIMEOUT = 120.0
REQUEST_TIMEOUT = 30.0
QUERY_TARGET = 4
STOCK_TARGET = 2.0
APP_HIT_TARGET = 10.0
PROXY_HIT_TARGET = 0.8
LIVE_TARGET_MS = 1000.0

# Run in a subprocess with the servers' settings: three anonymous views of the
# article, each with a fresh client; the last is the steady state a server sees.
QUERY_SCRIPT = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

path, html_file = sys.argv[1], sys.argv[2]
views = []
for _ in range(3):
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
    sql = [query["sql"][:300] for query in captured.captured_queries]
    views.append({"status": response.status_code, "queries": sql})
with open(html_file, "wb") as out:
    out.write(response.content)
print(json.dumps(views))
"""

# The editor's side of publish-to-live, kept running so each publish is a warm one:
# every line read becomes the article's standfirst, published through the action.
PUBLISHER_SCRIPT = """
import sys, time
import django
django.setup()
from dateline.newsroom.actions import do_publish_article
from dateline.newsroom.models import ArticlePage

print("ready", flush=True)
for line in sys.stdin:
    article = ArticlePage.objects.get(url_path__endswith=sys.argv[1])
    article.standfirst = line.strip()
    started = time.time()
    do_publish_article(article)
    print(f"{started:.6f} {time.time():.6f}", flush=True)
"""


@dataclass
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    drained_s: float = 0.0


@dataclass
class Row:
    number: int
    case: str
    rps: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    errors: int | None = None
    reference: str = ""
    ratio: float | None = None
    target: str = ""
    result: str = ""
    notes: str = ""


@dataclass
class Run:
    args: argparse.Namespace
    data_dir: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    cache_prefix: str = field(default_factory=lambda: f"bench-{secrets.token_hex(4)}")
    stop: threading.Event = field(default_factory=threading.Event)
    facts: dict = field(default_factory=dict)
    # Where ``dateline`` is imported from, when not this checkout (``--against``).
    code: Path | None = None

    @property
    def postgres(self) -> bool:
        return self.args.db == "postgres"


# --- options and environment ----------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="generated (1000)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=10.0, help="per case (10)")
    parser.add_argument("--concurrency", type=int, default=16, help="conns (16)")
    parser.add_argument("--workers", type=int, default=2, help="per server (2)")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured seconds per case (2)"
    )
    parser.add_argument(
        "--uncached-target",
        type=float,
        help="req/s the uncached article must reach (default: no absolute floor)",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also serve the code at git revision REV (its own data set, SQLite) and "
        "measure its uncached article alternately with this code's (row 9)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternations for --against (3)"
    )
    args = parser.parse_args(argv)
    if args.against and args.db != "sqlite":
        parser.error("--against runs on SQLite only")
    if args.rounds <= 0:
        parser.error("--rounds must be > 0")
    numbers = (args.articles, args.seconds, args.concurrency, args.workers)
    if min(numbers) <= 0 or args.warmup < 0:
        parser.error("--articles, --seconds, --concurrency, --workers must be > 0")
    return args


def site_env(run: Run, **extra: str) -> dict[str, str]:
    """The environment every dateline process of the run shares, plus ``extra``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in servers.SCRUBBED_NAMES
        and not name.startswith(servers.SCRUBBED_PREFIXES)
    }
    env.update(
        DATELINE_DATA_DIR=str(run.data_dir),
        SECRET_KEY=run.secret_key,
        DATELINE_HTTPS="0",
        DATELINE_TIME_ZONE="Asia/Karachi",  # what the demo outlet runs with
        DATELINE_SCHEDULER="0",
        DJANGO_SETTINGS_MODULE="dateline.site.settings.production",
        ALLOWED_HOSTS=ALLOWED_HOSTS,
    )
    if run.postgres:
        env.update(
            DATABASE_URL=PG_URL, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=run.cache_prefix
        )
    if run.code is not None:
        # Ahead of the editable install, which Python consults after PYTHONPATH.
        env["PYTHONPATH"] = str(run.code)
    env.update(extra)
    return env


def stock_env() -> dict[str, str]:
    """What turns a cache-off process into stock Wagtail serving (row 2)."""
    path = [str(BENCHMARKS_DIR), os.environ.get("PYTHONPATH", "")]
    return {
        "DJANGO_SETTINGS_MODULE": STOCK_SETTINGS,
        "PYTHONPATH": os.pathsep.join(filter(None, path)),
        "DATELINE_PAGE_CACHE": "0",
    }


def dateline_bin() -> str:
    return str(Path(sys.executable).parent / "dateline")


def version_of(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# --- scratch database and cache -------------------------------------------------------


def create_database(run: Run, stack: contextlib.ExitStack) -> None:
    import psycopg
    from psycopg import sql

    def drop() -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as c:
            c.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(PG_NAME)
                )
            )

    print(f"Creating the scratch database {PG_NAME} ...", flush=True)
    drop()
    stack.callback(drop)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_NAME)))
        run.facts["db"] = f"PostgreSQL {conn.info.parameter_status('server_version')}"
    stack.callback(forget_cache_keys, run.cache_prefix)
    run.facts["cache"] = f"Redis {redis_version()} (database 14)"


def redis_version() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    return client.info("server")["redis_version"]


def forget_cache_keys(prefix: str) -> None:
    """Delete this run's keys only: database 14 may hold someone else's."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


# --- building the data set ------------------------------------------------------------


def dateline(run: Run, *argv: str, timeout: float, quiet: bool = False) -> float:
    """Run one ``dateline`` verb with the run's environment; return its seconds."""
    log = run.data_dir / "build.log"
    began = time.monotonic()
    with log.open("ab") as out:
        done = subprocess.run(
            [dateline_bin(), *argv],
            env=site_env(run),
            cwd=run.data_dir,
            # ``demo`` prints the admin's password: it goes nowhere.
            stdout=subprocess.DEVNULL if quiet else out,
            stderr=out,
            timeout=timeout,
            check=False,
        )
    if done.returncode:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError(f"dateline {' '.join(argv)} failed:\n" + "\n".join(tail))
    return time.monotonic() - began


def build_data(run: Run) -> None:
    articles = run.args.articles
    print(f"Building the data set in {run.data_dir} ...", flush=True)
    run.facts["demo_seconds"] = dateline(
        run, "demo", "--no-serve", timeout=900, quiet=True
    )
    print(f"Generating and indexing {articles:,} articles ...", flush=True)
    timeout = 600 + articles / 50  # 100k: 3-7 min on a busy 2-core machine
    run.facts["generate_seconds"] = dateline(
        run, "generate", "--articles", str(articles), timeout=timeout
    )
    if run.postgres:
        vacuum_analyze(run)
    dateline(run, "collectstatic", "--noinput", timeout=300)


def vacuum_analyze(run: Run) -> None:
    """What autovacuum does after a bulk load, done now: the planner needs row
    counts, and this server may run with autovacuum off."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True, connect_timeout=10) as conn:
        autovacuum = conn.execute("SHOW autovacuum").fetchone()[0]
        conn.execute("VACUUM (ANALYZE)")
    run.facts["db"] += f", autovacuum {autovacuum}; VACUUM ANALYZE after generating"


def count_all_queries(run: Run) -> dict:
    """The queries of an uncached view as the cache-off server makes them (its HTML
    kept as row 5's static file) and as stock Wagtail serving makes them."""
    html = run.data_dir / "static" / STATIC_PATH.removeprefix("/static/")
    html.parent.mkdir(parents=True, exist_ok=True)
    queries = count_queries(run, html, DATELINE_PAGE_CACHE="0")
    stock = count_queries(run, run.data_dir / "stock.html", **stock_env())
    print(
        f"queries per uncached article view: {queries['per_view']}"
        f" (stock Wagtail serving: {stock['per_view']})",
        flush=True,
    )
    # No more would mean the stock settings did not take effect: the row 2 reference
    # would be the project's own serving under another name.
    if stock["per_view"] <= queries["per_view"]:
        raise RuntimeError(
            f"stock Wagtail serving made {stock['per_view']} queries per view,"
            f" not more than the project's {queries['per_view']}"
        )
    return {**queries, "stock": stock}


def count_queries(run: Run, html: Path, **extra: str) -> dict:
    """Count one uncached view's queries with ``extra`` settings; keep its HTML."""
    done = subprocess.run(
        [sys.executable, "-c", QUERY_SCRIPT, ARTICLE_PATH, str(html)],
        env=site_env(run, **extra),
        cwd=run.data_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"counting queries failed:\n{done.stderr[-3000:]}")
    views = json.loads(done.stdout.strip().splitlines()[-1])
    if any(view["status"] != 200 for view in views):
        raise RuntimeError(f"GET {ARTICLE_PATH} in-process: {views[-1]['status']}")
    steady = views[-1]["queries"]
    first = len(views[0]["queries"])
    return {"per_view": len(steady), "first_view": first, "sql": steady}


# --- servers and the proxy ------------------------------------------------------------


def start_server(run: Run, name: str, port: int, **extra: str) -> subprocess.Popen:
    print(f"Starting dateline serve ({name}) on {HOST}:{port} ...", flush=True)
    command = [dateline_bin(), "serve", "--host", HOST, "--port", str(port)]
    with (run.data_dir / f"{name}.log").open("wb") as out:
        return subprocess.Popen(
            [*command, "--workers", str(run.args.workers)],
            env=site_env(run, **extra),
            cwd=run.data_dir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: we stop it as a whole
        )


def wait_until_ready(proc: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"server exited with status {proc.returncode}:\n{tail}")
        try:
            fetch(port, "/", timeout=2.0)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {START_TIMEOUT:.0f} s")


def serve(run: Run, stack: contextlib.ExitStack, name: str, port: int, **extra):
    proc = start_server(run, name, port, **extra)
    stack.callback(servers.stop_server, proc)
    wait_until_ready(proc, port, run.data_dir / f"{name}.log")


def start_varnish(backend_port: int, stack: contextlib.ExitStack) -> Varnish:
    if not varnishd():
        raise RuntimeError("varnishd is not installed (apt-get install varnish)")
    varnish = Varnish(backend_port)
    stack.callback(stop_varnish, varnish)
    varnish.__enter__()
    return varnish


def stop_varnish(varnish: Varnish) -> None:
    process = getattr(varnish, "process", None)
    if process is not None:
        varnish.__exit__(None, None, None)
    shutil.rmtree(varnish.workdir, ignore_errors=True)


def fetch(port: int, path: str, host: str | None = None, timeout=REQUEST_TIMEOUT):
    """GET ``path``; return status, headers and body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def expect(port: int, path: str, host=None, header=None, value=None) -> str:
    """Fail unless ``path`` answers 200 (and, once warm, ``header: value``);
    return the size of the body, for the notes."""
    for _ in range(3):
        status, headers, body = fetch(port, path, host)
    if status != 200:
        raise RuntimeError(f"GET {path} on port {port} answered {status}")
    if header and headers.get(header) != value:
        seen = headers.get(header)
        raise RuntimeError(f"GET {path}: {header} is {seen!r}, expected {value!r}")
    return f"{len(body):,} bytes"


# --- load -----------------------------------------------------------------------------


def measure(port: int, path: str, run: Run, host: str | None = None) -> Load:
    args = run.args
    if args.warmup > 0:
        run_load(port, path, args.warmup, args.concurrency, host, run)
    print(f"  GET {path} on port {port}: {args.seconds:g} s ...", flush=True)
    load = run_load(port, path, args.seconds, args.concurrency, host, run)
    load.drained_s = drain(port, host, run)
    return load


def drain(port: int, host: str | None, run: Run) -> float:
    """Wait until the server has worked off the requests wrk left queued, so they
    do not slow the next case: until a static file answers within 100 ms."""
    began = time.monotonic()
    while time.monotonic() - began < DRAIN_TIMEOUT and not run.stop.is_set():
        asked = time.monotonic()
        with contextlib.suppress(OSError, http.client.HTTPException):
            fetch(port, STATIC_PATH, host, timeout=DRAIN_TIMEOUT)
        if time.monotonic() - asked < 0.1:
            break
    waited = time.monotonic() - began
    if waited > 1:
        print(f"  waited {waited:.0f} s for port {port} to work off its queue")
    return waited


def run_load(port, path, seconds, concurrency, host, run: Run) -> Load:
    if shutil.which("wrk"):
        return run_wrk(port, path, seconds, concurrency, host, run.data_dir)
    return Load(*servers.run_python_load(port, path, seconds, concurrency, host))


def run_wrk(port, path, seconds, concurrency, host, data_dir: Path) -> Load:
    lua = data_dir / "report.lua"
    lua.write_text(servers.WRK_SCRIPT)
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
    ]
    # A slow page is a latency to report, not an error: wrk's 2 s default would drop it.
    command += ["--latency", "--timeout", f"{REQUEST_TIMEOUT:g}s", "-s", str(lua)]
    if host:
        command += ["-H", f"Host: {host}"]
    done = subprocess.run(
        [*command, f"http://{HOST}:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return Load(*servers.parse_wrk(done.stdout))


# --- the cases ------------------------------------------------------------------------


def load_row(number: int, case: str, load: Load, **fields) -> Row:
    if load.drained_s > 1:
        busy = f"server still busy {load.drained_s:.0f} s after the run"
        fields["notes"] = "; ".join(filter(None, [fields.get("notes"), busy]))
    return Row(
        number,
        case,
        rps=load.rps,
        p50_ms=load.p50_ms,
        p95_ms=load.p95_ms,
        p99_ms=load.p99_ms,
        errors=load.errors,
        **fields,
    )


def ratio(value: float | None, reference: float | None) -> float | None:
    return value / reference if value is not None and reference else None


def uncached_row(run: Run, port: int) -> Row:
    size = expect(port, ARTICLE_PATH)
    load = measure(port, ARTICLE_PATH, run)
    return load_row(1, "uncached article view", load, notes=size)


def stock_row(run: Run, port: int, uncached: Row, queries: dict) -> Row:
    """Row 2, and row 1's ratio against it: measured right after row 1, with the
    same load, so both see the machine in the same state."""
    size = expect(port, ARTICLE_PATH)
    load = measure(port, ARTICLE_PATH, run)
    uncached.reference = "row 2 req/s"
    uncached.ratio = ratio(uncached.rps, load.rps)
    per_view = queries["stock"]["per_view"]
    return load_row(
        2,
        "stock Wagtail serving, same page",
        load,
        notes=f"{size}; {per_view} queries per view",
    )


def app_hit_row(run: Run, port: int, uncached: Row) -> Row:
    size = expect(port, ARTICLE_PATH, header="X-Page-Cache", value="hit")
    load = measure(port, ARTICLE_PATH, run)
    return load_row(
        3,
        "app page cache hit",
        load,
        reference="row 1 req/s",
        ratio=ratio(load.rps, uncached.rps),
        target=f">= {APP_HIT_TARGET:g}x",
        notes=size,
    )


def proxy_static_row(run: Run, varnish: Varnish) -> Row:
    size = expect(varnish.port, STATIC_PATH, SITE_HOST, header="X-Cache", value="HIT")
    load = measure(varnish.port, STATIC_PATH, run, host=SITE_HOST)
    return load_row(5, "proxy static file (same HTML)", load, notes=size)


def proxy_hit_row(run: Run, varnish: Varnish, static: Row) -> Row:
    size = expect(varnish.port, ARTICLE_PATH, SITE_HOST, header="X-Cache", value="HIT")
    load = measure(varnish.port, ARTICLE_PATH, run, host=SITE_HOST)
    return load_row(
        4,
        "proxy hit (Varnish)",
        load,
        reference="row 5 req/s",
        ratio=ratio(load.rps, static.rps),
        target=f">= {PROXY_HIT_TARGET:g}x",
        notes=size,
    )


def search_row(run: Run, port: int, uncached: Row) -> Row:
    status = fetch(port, SEARCH_PATH)[0]
    if status != 200:
        print(f"search: not available (GET {SEARCH_PATH} answered {status})")
        return Row(8, "search /search/?q=water", notes=f"not available ({status})")
    load = measure(port, SEARCH_PATH, run)
    return load_row(
        8,
        "search /search/?q=water",
        load,
        reference="row 1 req/s",
        ratio=ratio(load.rps, uncached.rps),
    )


# --- publish-to-live ------------------------------------------------------------------


def start_publisher(run: Run, varnish: Varnish, stack: contextlib.ExitStack):
    """The publishing process and a queue of the lines it prints."""
    log = (run.data_dir / "publisher.log").open("wb")
    stack.callback(log.close)
    proc = subprocess.Popen(
        [sys.executable, "-c", PUBLISHER_SCRIPT, ARTICLE_PATH],
        env=site_env(run, DATELINE_PROXY_PURGE_URL=varnish.url),
        cwd=run.data_dir,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    stack.callback(stop_publisher, proc)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=pump, args=(proc.stdout, lines), daemon=True).start()
    if next_line(lines, run, 120.0) != "ready":
        raise RuntimeError("the publishing process did not start")
    return proc, lines


def pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)


def stop_publisher(proc: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def next_line(lines: queue.Queue, run: Run, timeout: float) -> str:
    try:
        return lines.get(timeout=timeout).strip()
    except queue.Empty:
        log = (run.data_dir / "publisher.log").read_text(errors="replace")
        raise RuntimeError(
            f"the publishing process is silent:\n{log[-3000:]}"
        ) from None


def publish_once(proc, lines, run: Run, varnish: Varnish, text: str) -> dict:
    """Publish ``text`` as the standfirst; poll the proxy until it shows it."""
    proc.stdin.write(text + "\n")
    proc.stdin.flush()
    deadline = time.monotonic() + LIVE_TIMEOUT
    seen, polls = None, Counter()
    while seen is None and time.monotonic() < deadline and not run.stop.is_set():
        seen = poll(varnish, text.encode(), deadline, polls)
        if seen is None:
            time.sleep(POLL_SECONDS)
    started, published = map(float, next_line(lines, run, PUBLISH_TIMEOUT).split())
    return {
        "publish_ms": (published - started) * 1000,
        "live_ms": None if seen is None else (seen - started) * 1000,
        "polls": dict(polls),
    }


def poll(varnish: Varnish, wanted: bytes, deadline: float, polls: Counter):
    """One GET through the proxy: the wall-clock time if it shows ``wanted``."""
    timeout = max(0.5, deadline - time.monotonic())
    conn = http.client.HTTPConnection(HOST, varnish.port, timeout=timeout)
    began = time.perf_counter()
    try:
        conn.request("GET", ARTICLE_PATH, headers={"Host": SITE_HOST})
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException):
        polls["failed"] += 1
        return None
    finally:
        conn.close()
    polls[f"{response.status} {response.headers.get('X-Cache')}"] += 1
    if time.perf_counter() - began > 1.0:
        polls["slower than 1 s"] += 1
    return time.time() if wanted in body else None


def publish_row(run: Run, varnish: Varnish, app_hit: Row, stack) -> Row:
    print(f"Publish-to-live through the proxy: {PUBLISHES} publishes ...", flush=True)
    proc, lines = start_publisher(run, varnish, stack)
    token = secrets.token_hex(4)
    publish_once(proc, lines, run, varnish, f"Delivery benchmark {token} warm-up")
    samples = [
        publish_once(proc, lines, run, varnish, f"Delivery benchmark {token} n{i}")
        for i in range(PUBLISHES)
    ]
    run.facts["publishes"] = samples
    live = [s["live_ms"] for s in samples if s["live_ms"] is not None]
    missed = len(samples) - len(live)
    publish = statistics.median(s["publish_ms"] for s in samples)
    if not live:
        return Row(6, "publish-to-live (proxy)", notes="never live within 10 s")
    notes = (
        f"min {min(live):.0f} / median {statistics.median(live):.0f} /"
        f" max {max(live):.0f} ms over {len(live)} publishes;"
        f" the publish call itself: median {publish:.0f} ms"
    )
    if missed:
        notes += f"; {missed} not live within {LIVE_TIMEOUT:g} s"
    trouble = sum(
        s["polls"].get(k, 0) for s in samples for k in ("failed", "slower than 1 s")
    )
    if trouble:
        notes += f"; {trouble} proxy polls failed or took over 1 s"
    return Row(
        6,
        "publish-to-live (proxy)",
        p50_ms=statistics.median(live),
        errors=missed,
        reference="row 3 p50 ms",
        ratio=ratio(statistics.median(live), app_hit.p50_ms),
        target=f"< {LIVE_TARGET_MS:g} ms",
        notes=notes,
    )


# --- comments -------------------------------------------------------------------------


def comments_row(run: Run, port: int, uncached: Row) -> Row:
    args = run.args
    target = comment_flood.Target(HOST, port, run.data_dir)
    article_id = comment_flood.find_article_id(target)
    run_id = secrets.token_hex(4)
    loop = comment_flood.poster(target, article_id, run_id, use_ticket=True)
    print(f"Posting comments: {args.concurrency} posters, {args.seconds:g} s ...")
    tallies, elapsed = comment_flood.run_threads(
        args.concurrency, loop, args.seconds, run.stop
    )
    posts = comment_flood.merged(tallies)
    rate = len(posts.stored_tokens) / elapsed if elapsed else 0.0
    server_errors = sum(n for code, n in posts.statuses.items() if code >= 500)
    lost = len(set(posts.stored_tokens) - kept_tokens(run, run_id))
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(posts.statuses.items()))
    lat = posts.latencies_ms
    return Row(
        7,
        "comment posts (comments/s)",
        rps=rate,
        p50_ms=comment_flood.percentile(lat, 50),
        p95_ms=comment_flood.percentile(lat, 95),
        p99_ms=comment_flood.percentile(lat, 99),
        errors=server_errors + posts.connection_errors,
        reference="row 1 req/s",
        ratio=ratio(rate, uncached.rps),
        notes=f"statuses {codes or 'none'}; lost {lost}",
    )


def kept_tokens(run: Run, run_id: str) -> set[str]:
    if not run.postgres:
        return comment_flood.stored_tokens(run.data_dir, run_id)
    import psycopg

    pattern = re.compile(rf"flood-{run_id}-p\d+-n\d+-[0-9a-f]+")
    with psycopg.connect(PG_URL, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT body FROM dateline_comments_comment WHERE body LIKE %s",
            (f"%flood-{run_id}-%",),
        ).fetchall()
    return {m.group(0) for (body,) in rows for m in pattern.finditer(body)}


# --- targets, machine and report ------------------------------------------------------


def verdict(passed: bool | None) -> str:
    if passed is None:
        return ""
    return "PASS" if passed else "MISS"


def check(name: str, wanted: str, measured, passed: bool | None) -> dict:
    return {
        "target": name,
        "wanted": wanted,
        "measured": measured,
        "result": verdict(passed),
    }


def at_least(value: float | None, floor: float) -> bool:
    return value is not None and value >= floor


def targets(run: Run, rows: dict[int, Row], queries: dict) -> list[dict]:
    """The agreed targets, judged; the rows they concern get the verdict too."""
    uncached, app, proxy, live = rows[1], rows[3], rows[4], rows[6]
    per_view, floor = queries["per_view"], run.args.uncached_target
    lives = [sample["live_ms"] for sample in run.facts.get("publishes", [])]
    worst = max(lives) if lives and None not in lives else None
    results = [
        check(
            "uncached queries per view",
            f"<= {QUERY_TARGET}",
            per_view,
            per_view <= QUERY_TARGET,
        ),
        check(
            "uncached / stock Wagtail req/s",
            f">= {STOCK_TARGET:g}x",
            rounded(uncached.ratio),
            at_least(uncached.ratio, STOCK_TARGET),
        ),
        check(
            "app cache hit / uncached req/s",
            f">= {APP_HIT_TARGET:g}x",
            rounded(app.ratio),
            at_least(app.ratio, APP_HIT_TARGET),
        ),
        check(
            "proxy hit / proxy static req/s",
            f">= {PROXY_HIT_TARGET:g}x",
            rounded(proxy.ratio),
            at_least(proxy.ratio, PROXY_HIT_TARGET),
        ),
        check(
            f"publish-to-live, slowest of {PUBLISHES} (ms)",
            f"< {LIVE_TARGET_MS:g}",
            rounded(worst, 0),
            worst is not None and worst < LIVE_TARGET_MS,
        ),
    ]
    uncached.target = f"<= {QUERY_TARGET} queries; >= {STOCK_TARGET:g}x"
    uncached.result = "; ".join(r["result"] or "-" for r in results[:2])
    app.result, proxy.result, live.result = (r["result"] for r in results[2:])
    if 9 in rows:
        results.append(
            check(
                "uncached article req/s, this code / the code at --against",
                ">= 0.9x",
                rounded(rows[9].ratio),
                at_least(rows[9].ratio, 0.9),
            )
        )
    if floor:  # an absolute floor only for a machine someone has agreed one for
        results.append(
            check(
                "uncached article req/s",
                f">= {floor:g}",
                rounded(uncached.rps, 1),
                at_least(uncached.rps, floor),
            )
        )
    return results


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def machine(run: Run) -> dict:
    facts = {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory": memory_total(),
        "python": platform.python_version(),
        "django": version_of("django"),
        "wagtail": version_of("wagtail"),
        "granian": version_of("granian"),
        "varnish": varnish_version(),
        "db": run.facts.get("db", f"SQLite {sqlite3.sqlite_version} (WAL)"),
        "cache": run.facts.get("cache", "SQLite (diskcache) in the data directory"),
        "load generator": wrk_version(),
        "code": code_revision(),
        "servers": f"dateline serve, {run.args.workers} workers x 4 threads each",
        # Other work on the machine shares its cores with the run: say how much.
        "load average before / after": f"{run.facts['load_before']} / {load_average()}",
    }
    return facts


def code_revision() -> str:
    """The commit measured, and whether the working tree differed from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head} + uncommitted changes" if dirty else head or "unknown"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_total() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        line = Path("/proc/meminfo").read_text().splitlines()[0]
        return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def varnish_version() -> str:
    done = subprocess.run(
        [varnishd() or "varnishd", "-V"], capture_output=True, text=True, timeout=10
    )
    found = re.search(r"varnish-([\w.]+)", done.stderr + done.stdout)
    return found.group(1) if found else "unknown"


def wrk_version() -> str:
    if not shutil.which("wrk"):
        return "python threads (wrk not on PATH)"
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    first = (done.stdout or done.stderr).splitlines()[:1]
    return re.sub(r"\s*Copyright.*", "", first[0]) if first else "wrk"


def command_line(args) -> str:
    return (
        f".venv/bin/python benchmarks/delivery.py --db {args.db}"
        f" --articles {args.articles} --seconds {args.seconds:g}"
        f" --concurrency {args.concurrency} --workers {args.workers}"
        + (f" --against {args.against} --rounds {args.rounds}" if args.against else "")
    )


def cell(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def number(value) -> str:
    return "-" if value is None else f"{value:,}"


def table_cells(row: Row) -> list[str]:
    ratio_text = "-" if row.ratio is None else f"{row.ratio:.2f}x"
    return [
        str(row.number),
        row.case,
        cell(row.rps),
        cell(row.p50_ms),
        cell(row.p95_ms),
        cell(row.p99_ms),
        cell(row.errors),
        row.reference or "-",
        ratio_text,
        row.target or "-",
        row.result or "-",
    ]


HEADINGS = [
    "#",
    "case",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "errors",
    "reference",
    "ratio",
    "target",
    "result",
]


def text_report(report: dict, rows: list[Row]) -> str:
    lines = [f"{name}: {value}" for name, value in report["machine"].items()]
    lines += ["", data_line(report), ""]
    table = [HEADINGS, *(table_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADINGS))]
    for line in table:
        lines.append(
            "  ".join(
                text.ljust(width) if i in (1, 7, 9) else text.rjust(width)
                for i, (text, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
    lines.append("")
    lines += [f"row {row.number}: {row.notes}" for row in rows if row.notes]
    lines.append(queries_line(report["queries"]))
    lines += ["", "targets:"]
    lines += [target_line(t) for t in report["targets"]]
    return "\n".join(lines)


def queries_line(queries: dict) -> str:
    stock = queries["stock"]
    return (
        f"Queries per uncached article view: {queries['per_view']}"
        f" (first view of a fresh process: {queries['first_view']});"
        f" stock Wagtail serving: {stock['per_view']}"
        f" (first view: {stock['first_view']})"
    )


def data_line(report: dict) -> str:
    data = report["data"]
    return (
        f"data: demo outlet + {data['articles']:,} generated articles on"
        f" {report['options']['db']}; demo {data['demo_seconds']:.0f} s,"
        f" generate + index {data['generate_seconds']:.0f} s;"
        f" {report['options']['concurrency']} connections,"
        f" {report['options']['seconds']:g} s per case"
    )


def target_line(t: dict) -> str:
    if not t["result"]:
        return f"  {t['target']}: {t['measured']} ({t['wanted']})"
    return f"  {t['target']}: {t['measured']} (target {t['wanted']}) {t['result']}"


def markdown_report(report: dict, rows: list[Row]) -> str:
    opts = report["options"]
    lines = [
        f"### Delivery: {opts['db']}, {report['data']['articles']:,} articles"
        f" ({report['timestamp']})",
        "",
        f"`{report['command']}`",
        "",
        "Machine: "
        + "; ".join(f"{name} {value}" for name, value in report["machine"].items()),
        "",
        data_line(report),
        "",
        "| " + " | ".join([*HEADINGS, "notes"]) + " |",
        "|" + "---|" * (len(HEADINGS) + 1),
    ]
    for row in rows:
        lines.append("| " + " | ".join([*table_cells(row), row.notes]) + " |")
    lines += [
        "",
        queries_line(report["queries"]) + ".",
        "",
        "| target | wanted | measured | result |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {t['target']} | {t['wanted']} | {number(t['measured'])} | {t['result']} |"
        for t in report["targets"]
    ]
    return "\n".join(lines) + "\n"


def write_report(report: dict, rows: list[Row]) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    stem = f"delivery-{report['options']['db']}-{report['data']['articles']}"
    stem = RESULTS_DIR / f"{stem}-{report['timestamp']}"
    report["rows"] = [asdict(row) for row in rows]
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown_report(report, rows))
    print()
    print(text_report(report, rows))
    print(f"\nwritten: {stem}.json and {stem}.md")


# --- main -----------------------------------------------------------------------------


def benchmark(run: Run, stack: contextlib.ExitStack) -> tuple[dict, list[Row]]:
    run.facts["load_before"] = load_average()
    if run.postgres:
        create_database(run, stack)
    build_data(run)
    queries = count_all_queries(run)
    off_port, stock_port, on_port = (servers.free_port() for _ in range(3))
    varnish = start_varnish(on_port, stack)
    serve(run, stack, "cache-off", off_port, DATELINE_PAGE_CACHE="0")
    serve(run, stack, "stock-wagtail", stock_port, **stock_env())
    cache_on = {"DATELINE_PAGE_CACHE": "1", "DATELINE_PROXY_PURGE_URL": varnish.url}
    serve(run, stack, "cache-on", on_port, **cache_on, **comment_flood.FLOOD_SETTINGS)
    rows = {1: uncached_row(run, off_port)}
    rows[2] = stock_row(run, stock_port, rows[1], queries)
    rows[3] = app_hit_row(run, on_port, rows[1])
    rows[5] = proxy_static_row(run, varnish)
    rows[4] = proxy_hit_row(run, varnish, rows[5])
    rows[6] = publish_row(run, varnish, rows[3], stack)
    rows[7] = comments_row(run, on_port, rows[1])  # after the page rows: it adds
    rows[8] = search_row(run, off_port, rows[1])  # comments to the article page
    if run.args.against:
        rows[9] = against_row(run, off_port, stack)
    ordered = [rows[n] for n in sorted(rows)]
    report = {
        "timestamp": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "command": command_line(run.args),
        "options": vars(run.args),
        "machine": machine(run),
        "data": {
            "articles": run.args.articles,
            "demo_seconds": run.facts["demo_seconds"],
            "generate_seconds": run.facts["generate_seconds"],
        },
        "queries": queries,
        "publishes": run.facts.get("publishes", []),
        "targets": targets(run, rows, queries),
    }
    return report, ordered


# --- row 9: the same page from other code, alternately -------------------------------


def export_revision(rev: str, into: Path) -> str:
    """Write the tree of git revision ``rev`` to ``into``; return its short hash."""
    repo = BENCHMARKS_DIR.parent
    short = subprocess.run(
        ["git", "rev-parse", "--short", f"{rev}^{{commit}}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    into.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", "archive", short], cwd=repo, stdout=subprocess.PIPE
    )
    subprocess.run(["tar", "-x", "-C", str(into)], stdin=archive.stdout, check=True)
    if archive.wait():
        raise RuntimeError(f"git archive {rev} failed")
    return short


def serve_against(run: Run, stack: contextlib.ExitStack) -> tuple[Run, int]:
    """The code at ``--against`` with a data set of its own, served cache-off."""
    other = Run(run.args, run.data_dir / "against-data", stop=run.stop)
    other.code = run.data_dir / "against-code"
    short = export_revision(run.args.against, other.code)
    other.facts["revision"] = short
    other.data_dir.mkdir()
    print(f"Code at {short}:", flush=True)
    build_data(other)
    port = servers.free_port()
    serve(other, stack, "against", port, DATELINE_PAGE_CACHE="0")
    return other, port


def against_row(run: Run, off_port: int, stack: contextlib.ExitStack) -> Row:
    """Row 9: this code's uncached article against the same page from the code at
    ``--against``, measured alternately so both see the machine in the same state.
    Within 10 % is the aim: a cost that grew by more is a MISS."""
    other, port = serve_against(run, stack)
    expect(port, ARTICLE_PATH)
    ours, theirs = [], []
    for number in range(1, run.args.rounds + 1):
        print(f"Alternation {number} of {run.args.rounds}:", flush=True)
        ours.append(measure(off_port, ARTICLE_PATH, run))
        theirs.append(measure(port, ARTICLE_PATH, other))
    ours_rps = statistics.median(load.rps for load in ours)
    theirs_load = sorted(theirs, key=lambda load: load.rps)[len(theirs) // 2]
    share = ratio(ours_rps, theirs_load.rps)
    short = other.facts["revision"]
    row = load_row(
        9,
        f"uncached article view, code at {short}",
        theirs_load,
        reference=f"this code, median of {len(ours)}: {ours_rps:,.1f} req/s",
        ratio=share,
        target=">= 0.9x (this code within 10 %)",
        notes="req/s of each alternation, this code / that code: "
        + ", ".join(
            f"{a.rps:,.1f} / {b.rps:,.1f}" for a, b in zip(ours, theirs, strict=True)
        ),
    )
    row.result = "PASS" if at_least(share, 0.9) else "MISS"
    return row


def print_logs(data_dir: Path) -> None:
    """The servers' and the publisher's last words, before the directory goes."""
    for log in sorted(data_dir.glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-25:]
        if tail and log.name != "build.log":
            print(f"\n--- {log.name} (last lines)", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, raise_interrupt)  # clean up on kill, as on Ctrl+C
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-delivery-"))
    run = Run(args, data_dir)
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, data_dir, ignore_errors=True)
        try:
            report, rows = benchmark(run, stack)
        except KeyboardInterrupt as exc:
            run.stop.set()
            cause = exc.args[0] if exc.args else "SIGINT"
            print(f"interrupted ({cause}); cleaning up", file=sys.stderr)
            return 130
        except Exception as exc:  # a database or proxy error too: report, clean up
            run.stop.set()
            print(f"benchmark failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            print_logs(data_dir)
            return 1
    write_report(report, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
