"""Compare the HTTP servers that could run ``dateline serve``: gunicorn vs granian.

What it measures: requests per second and latency percentiles (p50, p95, p99) of
two WSGI servers hosting the same demo site, each with the same number of worker
processes and 4 threads per worker:

* gunicorn, gthread workers (the reference; installed on demand);
* granian, WSGI interface, ``--blocking-threads 4`` (what ``dateline serve`` runs).

Each server is loaded at a fixed concurrency for a fixed time on two paths: an
article page (Django + Wagtail render) and a static file (served by WhiteNoise).
The load generator is ``wrk`` when it is on PATH, else a Python one built on
threads and keep-alive ``http.client`` connections (weaker: it shares the GIL, so
its numbers are only comparable with each other). Traffic goes to 127.0.0.1 only.

The demo site lives in a temporary data directory (SQLite, file cache), made with
``dateline demo --no-serve`` and deleted at the end. If granian is missing the
script tries ``pip install granian`` and, failing that, measures gunicorn alone.

Run it from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/servers.py [--workers N] [--seconds S]
                                           [--concurrency C]

On a small machine the load generator competes with the servers for the same
cores; compare ratios from one run rather than absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.metadata
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
THREADS = 4
PATHS = ("/pakistan/capital-water-plan/", "/static/dateline/css/site.css")
REFERENCE = "gunicorn"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
# Variables that would change the site's or a server's configuration.
SCRUBBED_PREFIXES = ("DATELINE_", "DATABASE_", "REDIS_", "DJANGO_", "GRANIAN_")
SCRUBBED_NAMES = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "CACHE_KEY_PREFIX",
    "PORT",
    "GUNICORN_CMD_ARGS",
}
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH p50=%d p95=%d p99=%d errors=%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


@dataclass
class Result:
    server: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


# --- options and environment -------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="processes (2)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per case (10)")
    parser.add_argument("--concurrency", type=int, default=16, help="conns (16)")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured seconds per case (2)"
    )
    args = parser.parse_args(argv)
    if args.workers < 1 or args.seconds <= 0 or args.concurrency < 1:
        parser.error("--workers, --seconds and --concurrency must be positive")
    return args


def bin_dir() -> Path:
    return Path(sys.executable).parent


def base_env(data_dir: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SCRUBBED_NAMES and not name.startswith(SCRUBBED_PREFIXES)
    }
    env["DATELINE_DATA_DIR"] = str(data_dir)
    return env


def server_env(data_dir: Path) -> dict[str, str]:
    env = base_env(data_dir)
    env["SECRET_KEY"] = (data_dir / "secret_key").read_text().strip()
    env["DATELINE_HTTPS"] = "0"
    env["DJANGO_SETTINGS_MODULE"] = "dateline.site.settings.production"
    env["DATELINE_THREADS"] = str(THREADS)
    return env


def prepare_demo(data_dir: Path) -> None:
    print(f"Preparing the demo site in {data_dir} ...", flush=True)
    subprocess.run(
        [str(bin_dir() / "dateline"), "demo", "--no-serve"],
        env=base_env(data_dir),
        check=True,
        stdout=subprocess.DEVNULL,  # it prints an admin password: keep it out
        timeout=600,
    )


def ensure_package(name: str) -> bool:
    if has_package(name):
        return True
    print(f"{name} is not installed; trying: pip install {name}", flush=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", name],
            check=True,
            timeout=300,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"{name} could not be installed ({exc}); leaving it out")
        return False
    importlib.invalidate_caches()
    return has_package(name)


def has_package(name: str) -> bool:
    try:
        importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def version_of(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# --- servers -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_command(server: str, port: int, workers: int) -> list[str]:
    if server == "gunicorn":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "dateline.site.wsgi:application",
        ]
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(THREADS),
        "--log-level",
        "warning",
        "dateline.site.wsgi:application",
    ]


def start_server(server: str, port: int, args, data_dir: Path) -> subprocess.Popen:
    print(f"Starting {server} on {HOST}:{port} ...", flush=True)
    return subprocess.Popen(
        server_command(server, port, args.workers),
        env=server_env(data_dir),
        cwd=data_dir,
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: we stop it as a whole
    )


def get_status(port: int, path: str, timeout: float = 5.0) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_until_ready(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            get_status(port, "/", timeout=2.0)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {START_TIMEOUT:.0f} s")


def check_paths(port: int) -> None:
    for path in PATHS:
        status = get_status(port, path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}, expected 200")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    pgid = proc.pid  # start_new_session made the server its group's leader
    try:
        os.killpg(pgid, signal.SIGTERM)
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT)
    except ProcessLookupError:
        pass


# --- load generators -------------------------------------------------------------


def run_load(port: int, path: str, seconds: float, concurrency: int, lua: Path):
    if shutil.which("wrk"):
        return run_wrk(port, path, seconds, concurrency, lua)
    return run_python_load(port, path, seconds, concurrency)


def run_wrk(port: int, path: str, seconds: float, concurrency: int, lua: Path):
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "-s",
        str(lua),
        f"http://{HOST}:{port}{path}",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> tuple[float, float, float, float, int]:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    mine = re.search(r"BENCH p50=(\d+) p95=(\d+) p99=(\d+) errors=(\d+)", output)
    if not rps or not mine:
        raise RuntimeError(f"cannot parse wrk output:\n{output}")
    p50, p95, p99 = (int(mine.group(i)) / 1000 for i in (1, 2, 3))  # us -> ms
    return float(rps.group(1)), p50, p95, p99, int(mine.group(4))


def run_python_load(
    port: int, path: str, seconds: float, concurrency: int, host: str | None = None
):
    """wrk's stand-in where it is missing: (req/s, p50, p95, p99 ms, errors)."""
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    workers = [
        threading.Thread(
            target=python_client,
            args=(port, path, host, deadline, latencies[i], errors, i),
            daemon=True,
        )
        for i in range(concurrency)
    ]
    start = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 30)
    elapsed = time.monotonic() - start
    samples = sorted(x for per_thread in latencies for x in per_thread)
    p50, p95, p99 = (percentile(samples, q) for q in (50, 95, 99))
    return len(samples) / elapsed, p50, p95, p99, sum(errors)


def python_client(port, path, host, deadline, latencies, errors, index) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {"Host": host} if host else {}
    while time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors[index] += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        if response.status != 200:
            errors[index] += 1
        latencies.append((time.perf_counter() - began) * 1000)
    conn.close()


def percentile(sorted_samples: list[float], q: float) -> float:
    if not sorted_samples:
        return float("nan")
    index = min(len(sorted_samples) - 1, round(q / 100 * (len(sorted_samples) - 1)))
    return sorted_samples[index]


# --- one server, all paths -------------------------------------------------------


def measure_server(server: str, args, data_dir: Path, lua: Path) -> list[Result]:
    port = free_port()
    proc = start_server(server, port, args, data_dir)
    try:
        wait_until_ready(proc, port)
        check_paths(port)
        results = []
        for path in PATHS:
            if args.warmup > 0:
                run_load(port, path, args.warmup, args.concurrency, lua)
            print(f"  {server} {path}: {args.seconds:g} s ...", flush=True)
            numbers = run_load(port, path, args.seconds, args.concurrency, lua)
            results.append(Result(server, path, *numbers))
        return results
    finally:
        stop_server(proc)


# --- report -----------------------------------------------------------------------


def print_header(args, servers: list[str]) -> None:
    generator = "wrk" if shutil.which("wrk") else "python threads (wrk not on PATH)"
    print()
    print(f"CPU cores: {os.cpu_count()}   Python {platform.python_version()}")
    print(f"gunicorn {version_of('gunicorn')}   granian {version_of('granian')}")
    print(
        f"servers: {', '.join(servers)}; {args.workers} workers x {THREADS} threads;"
        f" concurrency {args.concurrency}; {args.seconds:g} s per case;"
        f" load generator: {generator}"
    )
    print()


def print_table(results: list[Result]) -> None:
    head = f"{'server':<10} {'path':<32} {'req/s':>9} {'p50 ms':>8}"
    print(f"{head} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for r in results:
        print(
            f"{r.server:<10} {r.path:<32} {r.rps:>9.1f} {r.p50_ms:>8.2f}"
            f" {r.p95_ms:>8.2f} {r.p99_ms:>8.2f} {r.errors:>7}"
        )
    print()


def print_ratios(results: list[Result]) -> None:
    reference = {r.path: r for r in results if r.server == REFERENCE}
    for r in results:
        ref = reference.get(r.path)
        if r.server == REFERENCE or ref is None:
            continue
        print(
            f"{r.path}: {r.server}/{REFERENCE} req/s ratio: {ratio(r.rps, ref.rps)}"
            f"  (latency ratios, lower is better: p50 {ratio(r.p50_ms, ref.p50_ms)},"
            f" p95 {ratio(r.p95_ms, ref.p95_ms)}, p99 {ratio(r.p99_ms, ref.p99_ms)})"
        )


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}" if reference else "n/a"


# --- main ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    servers = [name for name in (REFERENCE, "granian") if ensure_package(name)]
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-"))
    try:
        prepare_demo(data_dir)
        lua = data_dir / "report.lua"
        lua.write_text(WRK_SCRIPT)
        results = []
        for server in servers:
            results += measure_server(server, args, data_dir, lua)
        print_header(args, servers)
        print_table(results)
        print_ratios(results)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (RuntimeError, subprocess.SubprocessError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
