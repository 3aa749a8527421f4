"""Flood the comment form of the embedded default (SQLite in WAL mode) and count losses.

What it proves: that many readers posting comments at once, on a site with no
PostgreSQL and no Redis, get their comments stored, with no server error
(``database is locked`` and the like) and no comment acknowledged but not kept.

How: it builds a demo site in a temporary data directory (``dateline demo
--no-serve``) and starts ``dateline serve --workers 2`` on a free port of 127.0.0.1,
with the comment rate limits and the minimum time to post lifted, so the flood
measures storage rather than the anti-abuse limits. N threads (``--posters``) then
post for D seconds (``--seconds``) to the demo article's comment form, each on its
own keep-alive connection with its own e-mail address and a unique body. A 302 is a
stored post; every 5xx or connection error is a failure. Afterwards it reads the
comments back from ``<data dir>/dateline.sqlite3`` (read-only) and counts the
acknowledged posts whose text is missing.

As a reference from the same run it loads a static file (served by WhiteNoise,
touching no database) with the same number of threads for 5 s, and prints the ratio
of comments/s to static requests/s: absolute numbers depend on the machine, the
ratio much less.

Run it from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/comment_flood.py [--posters 32] [--seconds 60]

``--url http://127.0.0.1:PORT`` floods a server that is already running instead
(only 127.0.0.1 or localhost); the operator then sets the rate-limit variables
above and passes ``--data-dir`` where its SQLite database lives. It exits non-zero
on any 5xx, connection error or lost comment.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# A sibling script (the script's folder is on sys.path): servers and the environment
# they must not inherit are its business.
import servers

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
ARTICLE_PATH = "/pakistan/capital-water-plan/"
STATIC_PATH = "/static/dateline/css/site.css"
TICKET_PATH = "/comments/ticket/"
STATIC_SECONDS = 5.0
REQUEST_TIMEOUT = 30.0
START_TIMEOUT = 60.0
# Lift the anti-abuse limits: the flood is about storage.
FLOOD_SETTINGS = {
    "DATELINE_COMMENTS_RATE_PER_IP": "1000000/60",
    "DATELINE_COMMENTS_RATE_PER_EMAIL": "1000000/60",
    "DATELINE_COMMENTS_MIN_SECONDS": "0",
}
# Server log lines worth showing when posts fail.
CAUSE_LINE = re.compile(r"locked|busy|Error|Exception|Traceback", re.IGNORECASE)


@dataclass
class Target:
    host: str
    port: int
    data_dir: Path

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)


@dataclass
class Tally:
    """What one thread saw; merged after the run."""

    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    stored_tokens: list[str] = field(default_factory=list)
    connection_errors: int = 0


# --- options and environment --------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posters", type=int, default=32, help="threads (32)")
    parser.add_argument("--seconds", type=float, default=60.0, help="of posting (60)")
    parser.add_argument(
        "--no-ticket",
        action="store_true",
        help="post without the page's ticket (comments are then held, still stored)",
    )
    parser.add_argument(
        "--url", help="flood this running server instead (http://127.0.0.1:PORT)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="with --url: its DATELINE_DATA_DIR (default: $DATELINE_DATA_DIR or var)",
    )
    args = parser.parse_args(argv)
    if args.posters < 1 or args.seconds <= 0:
        parser.error("--posters and --seconds must be positive")
    if args.data_dir and not args.url:
        parser.error("--data-dir goes with --url")
    if args.url:
        parts = urllib.parse.urlsplit(args.url)
        if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS:
            parser.error("--url must be http://127.0.0.1:PORT or http://localhost:PORT")
        data_dir = args.data_dir or Path(os.environ.get("DATELINE_DATA_DIR", "var"))
        args.target = Target(parts.hostname, parts.port or 80, data_dir.resolve())
    return args


def base_env(data_dir: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in servers.SCRUBBED_NAMES
        and not name.startswith(servers.SCRUBBED_PREFIXES)
    }
    env["DATELINE_DATA_DIR"] = str(data_dir)
    return env


def server_env(data_dir: Path) -> dict[str, str]:
    env = base_env(data_dir)
    env["SECRET_KEY"] = (data_dir / "secret_key").read_text().strip()
    env["DATELINE_HTTPS"] = "0"
    env.update(FLOOD_SETTINGS)
    return env


def dateline_command() -> str:
    return str(Path(sys.executable).parent / "dateline")


def prepare_demo(data_dir: Path) -> None:
    print(f"Preparing the demo site in {data_dir} ...", flush=True)
    subprocess.run(
        [dateline_command(), "demo", "--no-serve"],
        env=base_env(data_dir),
        check=True,
        stdout=subprocess.DEVNULL,  # it prints an admin password: keep it out
        timeout=600,
    )


# --- server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(target: Target, log: Path) -> subprocess.Popen:
    print(f"Starting dateline serve on {target.origin} ...", flush=True)
    command = [dateline_command(), "serve", "--host", target.host]
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [*command, "--port", str(target.port), "--workers", "2"],
            env=server_env(target.data_dir),
            cwd=target.data_dir,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own process group: we stop it as a whole
        )


def wait_until_ready(proc: subprocess.Popen, target: Target) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            get(target, "/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {START_TIMEOUT:.0f} s")


def get(target: Target, path: str) -> tuple[int, bytes]:
    conn = target.connect()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def find_article_id(target: Target) -> int:
    status, page = get(target, ARTICLE_PATH)
    found = re.search(rb'action="/comments/(\d+)/post/', page)
    if status != 200 or not found:
        raise RuntimeError(f"no comment form on {ARTICLE_PATH} (status {status})")
    return int(found.group(1))


# --- load ---------------------------------------------------------------------


def run_threads(count: int, target_fn, seconds: float, stop: threading.Event):
    """Run ``target_fn`` in ``count`` threads, each for ``seconds`` once all are ready;
    return each thread's tally and the seconds from the start to the last one."""
    tallies = [Tally() for _ in range(count)]
    clock: dict[str, float] = {}

    def start_clock() -> None:
        clock["start"] = time.monotonic()
        clock["deadline"] = clock["start"] + seconds

    ready = threading.Barrier(count, action=start_clock)
    threads = [
        threading.Thread(
            target=target_fn, args=(i, tallies[i], clock, ready, stop), daemon=True
        )
        for i in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # short joins keep Ctrl+C responsive
            thread.join(timeout=0.5)
    return tallies, time.monotonic() - clock.get("start", time.monotonic())


def static_client(target: Target):
    def client(index, tally, clock, ready, stop) -> None:
        conn = target.connect()
        ready.wait()
        while time.monotonic() < clock["deadline"] and not stop.is_set():
            began = time.perf_counter()
            try:
                conn.request("GET", STATIC_PATH)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                tally.connection_errors += 1
                conn.close()
                conn = target.connect()
                continue
            tally.statuses[response.status] += 1
            tally.latencies_ms.append((time.perf_counter() - began) * 1000)
        conn.close()

    return client


def poster(target: Target, article_id: int, run_id: str, use_ticket: bool):
    path = f"/comments/{article_id}/post/"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": target.origin,
    }

    def post_loop(index, tally, clock, ready, stop) -> None:
        conn = target.connect()
        ticket = fetch_ticket(conn, tally) if use_ticket else ""
        ready.wait()
        sequence = 0
        while time.monotonic() < clock["deadline"] and not stop.is_set():
            sequence += 1
            token = f"flood-{run_id}-p{index}-n{sequence}-{secrets.token_hex(4)}"
            form = {
                "name": f"Flood poster {index}",
                "email": f"flood-{run_id}-{index}@example.com",
                "website": "",
                "body": f"Load test comment {token}, from poster {index}.",
                "ticket": ticket,
            }
            began = time.perf_counter()
            try:
                conn.request("POST", path, urllib.parse.urlencode(form), headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                tally.connection_errors += 1
                conn.close()
                conn = target.connect()
                continue
            tally.statuses[response.status] += 1
            tally.latencies_ms.append((time.perf_counter() - began) * 1000)
            if response.status == 302:
                tally.stored_tokens.append(token)
        conn.close()

    return post_loop


def fetch_ticket(conn: http.client.HTTPConnection, tally: Tally) -> str:
    try:
        conn.request("GET", TICKET_PATH)
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException):
        tally.connection_errors += 1
        conn.close()  # http.client reopens it on the next request
        return ""
    try:
        return json.loads(body)["ticket"] if response.status == 200 else ""
    except (ValueError, KeyError, TypeError):
        return ""  # posting without a ticket still stores the comment, held


def merged(tallies: list[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.statuses.update(tally.statuses)
        total.latencies_ms += tally.latencies_ms
        total.stored_tokens += tally.stored_tokens
        total.connection_errors += tally.connection_errors
    total.latencies_ms.sort()
    return total


def percentile(sorted_samples: list[float], q: float) -> float:
    if not sorted_samples:
        return float("nan")
    index = min(len(sorted_samples) - 1, round(q / 100 * (len(sorted_samples) - 1)))
    return sorted_samples[index]


# --- counting what was kept ---------------------------------------------------


def stored_tokens(data_dir: Path, run_id: str) -> set[str]:
    database = data_dir / "dateline.sqlite3"
    if not database.exists():
        raise RuntimeError(f"no SQLite database at {database}")
    conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute(
            "SELECT body FROM dateline_comments_comment WHERE body LIKE ?",
            (f"%flood-{run_id}-%",),
        ).fetchall()
    finally:
        conn.close()
    pattern = re.compile(rf"flood-{run_id}-p\d+-n\d+-[0-9a-f]+")
    return {m.group(0) for (body,) in rows for m in pattern.finditer(body)}


# --- report -------------------------------------------------------------------


def print_report(args, posts: Tally, elapsed, static_rps, lost: int, kept: int):
    successes = len(posts.stored_tokens)
    comments_per_s = successes / elapsed if elapsed else 0.0
    server_errors = sum(n for code, n in posts.statuses.items() if code >= 500)
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(posts.statuses.items()))
    lat = posts.latencies_ms
    ratio = f"{comments_per_s / static_rps:.4f}" if static_rps else "n/a"
    print()
    print(f"posters:                        {args.posters}")
    print(f"seconds:                        {elapsed:.1f} (asked {args.seconds:g})")
    print(f"total posts:                    {len(lat) + posts.connection_errors}")
    print(f"comments/s:                     {comments_per_s:.1f}")
    print(
        f"post latency ms:                p50 {percentile(lat, 50):.1f}"
        f"  p95 {percentile(lat, 95):.1f}  p99 {percentile(lat, 99):.1f}"
    )
    print(f"status codes:                   {codes or 'none'}")
    errors = f"{server_errors} / {posts.connection_errors}"
    print(f"5xx / connection errors:        {errors}")
    print(f"comments found in the database: {kept}")
    print(f"lost (302 but not stored):      {lost}")
    print(f"static req/s ({STATIC_SECONDS:g} s reference):  {static_rps:.1f}")
    print(f"comments/s vs static req/s ratio: {ratio}")
    return server_errors + posts.connection_errors


def print_causes(log: Path | None) -> None:
    if log is None or not log.exists():
        print("(server stderr not captured: the server was started elsewhere)")
        return
    causes = Counter(
        line.strip()
        for line in log.read_text(errors="replace").splitlines()
        if CAUSE_LINE.search(line)
    )
    print("\nserver stderr, lines that show the cause (count x line):")
    for line, count in causes.most_common(20):
        print(f"  {count} x {line}")


# --- main ---------------------------------------------------------------------


def flood(args, target: Target, log: Path | None, stop: threading.Event) -> int:
    article_id = find_article_id(target)
    run_id = secrets.token_hex(4)
    print(f"Static reference: {args.posters} threads, {STATIC_SECONDS:g} s ...")
    static, static_elapsed = run_threads(
        args.posters, static_client(target), STATIC_SECONDS, stop
    )
    static_total = merged(static)
    static_rps = static_total.statuses[200] / static_elapsed
    print(f"Posting: article {article_id}, {args.posters} threads, {args.seconds:g} s")
    loop = poster(target, article_id, run_id, use_ticket=not args.no_ticket)
    tallies, elapsed = run_threads(args.posters, loop, args.seconds, stop)
    posts = merged(tallies)
    kept = stored_tokens(target.data_dir, run_id)
    lost = len(set(posts.stored_tokens) - kept)
    errors = print_report(args, posts, elapsed, static_rps, lost, len(kept))
    if errors:
        print_causes(log)
    if errors or lost or not posts.stored_tokens:
        print("\nFAILED: errors, lost comments or no comment posted")
        return 1
    print("\nPASSED: no 5xx, no connection error, no lost comment")
    return 0


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, raise_interrupt)  # clean up on kill, as on Ctrl+C
    stop = threading.Event()
    data_dir = None if args.url else Path(tempfile.mkdtemp(prefix="dateline-flood-"))
    proc = None
    try:
        if data_dir is None:
            return flood(args, args.target, None, stop)
        prepare_demo(data_dir)
        target = Target("127.0.0.1", free_port(), data_dir)
        log = data_dir / "server-stderr.log"
        proc = start_server(target, log)
        wait_until_ready(proc, target)
        return flood(args, target, log, stop)
    except KeyboardInterrupt:
        stop.set()
        print("interrupted", file=sys.stderr)
        return 130
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            servers.stop_server(proc)
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
