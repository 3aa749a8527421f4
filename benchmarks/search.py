"""Time the reader search (``search_articles``) over many generated articles.

What it measures: the latency, p50/p95/p99, of one reader search, that is
``dateline.search.queries.search_articles`` followed by loading the first page of
ten results, for a fixed list of queries (common words, several common words, rare
words, rare with common, words that match nothing, and searches with a filter), on
SQLite (the embedded default, FTS5) and on PostgreSQL (full-text search), at each
size of ``--sizes`` (20,000 and 100,000 articles). Each kind of query gets its p50,
its p95 and a verdict against the product's target, p95 under 150 ms on PostgreSQL
(at 1,000,000 articles) and under 300 ms on SQLite (at 100,000).

The reference, measured in the same process right after: loading the newest ten
released articles without any search (``published_articles()[:10]``, what a section
front does). Each line prints search p50 / reference p50 so figures from different
machines can be compared through the ratio.

How: for each database a worker process (this script with ``--worker``) sets up
Django with the production settings, migrates a fresh database (SQLite in a temporary
``DATELINE_DATA_DIR``; PostgreSQL in a scratch database ``dateline_bench_search``
created and dropped here), then grows it to each size with ``dateline generate``
(which rebuilds the search index), and times the queries in-process. The generator's
vocabulary is small, so nearly every article contains every common word: a worst case
for ranking. To have rare words too, the worker writes "lighthouse" into the
standfirst of one article in a hundred and "zeppelin" into one in a thousand, and
reindexes those. On PostgreSQL it runs ``VACUUM ANALYZE`` after generating, as
autovacuum would on a live site; SQLite is left as Dateline leaves it.

With ``--database-url`` it measures that database only, an existing one, grown
already or not: it is migrated, never created nor dropped, and grown with ``dateline
generate`` only while it holds fewer articles than a size of ``--sizes``; one that
already holds the largest is measured once, at its own count. The rare words are
written only into the articles still lacking them, and only those are reindexed, so
a second run over the same database changes nothing before it times the queries.

Run it from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/search.py [--sizes 20000,100000] [--repeats 5]
                                          [--databases sqlite,postgres]
                                          [--postgres postgres://postgres@127.0.0.1:5432]
                                          [--database-url URL]

For instance, on a database of a million articles kept between runs::

    .venv/bin/python benchmarks/search.py \\
        --database-url postgres://postgres@127.0.0.1:5432/NAME --sizes 1000000

PostgreSQL is skipped, with a line saying so, when it cannot be reached. A full run
takes 15-30 minutes, most of it generating and indexing 100,000 articles twice.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SCRATCH_DB = "dateline_bench_search"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
REFERENCE_RUNS = 100
WORKER_TIMEOUT = 3 * 3600
RESULT_PREFIX = "RESULT "
# Variables that would change the site's configuration, as in servers.py.
SCRUBBED_PREFIXES = ("DATELINE_", "DATABASE_", "REDIS_", "DJANGO_", "GRANIAN_")
SCRUBBED_NAMES = {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}

# (kind, query, filter); the filters are resolved in the worker.
QUERIES = [
    ("common word", "river", None),
    ("common word", "market", None),
    ("common word", "council", None),
    ("common word", "Monsoon", None),
    ("common words", "council budget", None),
    ("common words", "water market school", None),
    ("common words", "railway power grid", None),
    ("common words", "harbour fishermen port police", None),
    ("rare", "lighthouse", None),
    ("rare", "zeppelin", None),
    ("rare + common", "lighthouse river", None),
    ("rare + common", "zeppelin council budget", None),
    ("no hit", "xylophone", None),
    ("no hit", "quantum entanglement", None),
    ("no hit", "river xylophone", None),
    ("hostile", '"river" OR NEAR(market*', None),
    ("filtered", "river", "author"),
    ("filtered", "market", "section"),
    ("filtered", "election", "last 30 days"),
    ("filtered", "lighthouse", "section"),
]
RARE_WORDS = {"lighthouse": 100, "zeppelin": 1000}  # one article in N
# The product's targets for a search's p95, in ms, and the size each holds at.
TARGETS = {"postgres": (150, 1_000_000), "sqlite": (300, 100_000)}


# --- the parent: databases, workers, report --------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="20000,100000", help="article counts (20000,100000)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="runs per query (5)")
    parser.add_argument(
        "--databases", default="sqlite,postgres", help="sqlite,postgres (both)"
    )
    parser.add_argument(
        "--postgres", default=DEFAULT_POSTGRES, help="server URL, no database name"
    )
    parser.add_argument(
        "--database-url",
        help="measure this existing database only (postgres://... or"
        " sqlite:////abs/path), growing it to the largest size if it is smaller",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",")})
    except ValueError:
        parser.error("--sizes must be whole numbers separated by commas")
    args.databases = [name.strip() for name in args.databases.split(",")]
    if not args.sizes or args.sizes[0] < 1 or args.repeats < 1:
        parser.error("--sizes and --repeats must be positive")
    if set(args.databases) - {"sqlite", "postgres"}:
        parser.error("--databases takes sqlite and/or postgres")
    if args.database_url:
        args.databases = [vendor_of(args.database_url)]
        if args.databases == [None]:
            parser.error("--database-url takes postgres://... or sqlite:////abs/path")
    return args


def vendor_of(url: str) -> str | None:
    scheme = url.partition("://")[0].lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        return "postgres"
    return "sqlite" if scheme == "sqlite" else None


def base_env(data_dir: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SCRUBBED_NAMES and not name.startswith(SCRUBBED_PREFIXES)
    }
    env.update(
        DATELINE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="dateline.site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATELINE_HTTPS="0",
    )
    return env


def postgres_admin(server: str):
    """A connection to the server's maintenance database, or None if unreachable."""
    import psycopg

    try:
        return psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        print(f"PostgreSQL skipped: cannot connect to {server} ({exc})".strip())
        return None


def drop_scratch(admin) -> None:
    admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


def run_worker(database: str, args, env: dict[str, str]) -> dict | None:
    print(f"\n== {database}: worker starting", flush=True)
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--sizes",
        ",".join(map(str, args.sizes)),
        "--repeats",
        str(args.repeats),
    ]
    result = None
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    ) as proc:
        watchdog = threading.Timer(WORKER_TIMEOUT, proc.kill)
        watchdog.start()
        try:
            for line in proc.stdout:
                if line.startswith(RESULT_PREFIX):
                    result = json.loads(line[len(RESULT_PREFIX) :])
                else:
                    print(f"   {database}: {line}", end="", flush=True)
            proc.wait()
        finally:
            watchdog.cancel()
    if proc.returncode != 0:
        print(f"{database}: worker failed with status {proc.returncode}")
        return None
    return result


def measure_sqlite(args) -> dict | None:
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-search-"))
    try:
        return run_worker("sqlite", args, base_env(data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def measure_postgres(args) -> dict | None:
    admin = postgres_admin(args.postgres)
    if admin is None:
        return None
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-search-"))
    try:
        drop_scratch(admin)  # left over from an interrupted run
        admin.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
        env = base_env(data_dir)
        env["DATABASE_URL"] = f"{args.postgres}/{SCRATCH_DB}"
        return run_worker("postgres", args, env)
    finally:
        drop_scratch(admin)
        admin.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def measure_existing(args) -> dict | None:
    """The database at --database-url, neither created nor dropped here."""
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-search-"))
    try:
        env = base_env(data_dir)
        env["DATABASE_URL"] = args.database_url  # base_env scrubbed any other
        return run_worker(args.databases[0], args, env)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def print_report(results: list[dict], args) -> None:
    print()
    print(f"CPU cores: {os.cpu_count()}   Python {platform.python_version()}")
    for result in results:
        print(f"{result['database']}: {result['version']}")
    print(
        f"{len(QUERIES)} queries x {args.repeats} runs each after one warm-up run;"
        " a search = search_articles() + loading its first page of 10;"
        f" reference = published_articles()[:10], {REFERENCE_RUNS} runs"
    )
    print()
    head = f"{'database':<9} {'articles':>9} {'searches':>8} {'p50 ms':>8}"
    print(
        f"{head} {'p95 ms':>8} {'p99 ms':>8} {'ref p50 ms':>10} {'p50/ref':>8}"
        f" {'p95/ref':>8}"
    )
    for result in results:
        for size in result["sizes"]:
            search, ref = size["search"], size["reference"]
            print(
                f"{result['database']:<9} {size['articles']:>9,} {search['n']:>8}"
                f" {search['p50']:>8.1f} {search['p95']:>8.1f} {search['p99']:>8.1f}"
                f" {ref['p50']:>10.2f} {ratio(search['p50'], ref['p50']):>8}"
                f" {ratio(search['p95'], ref['p50']):>8}"
            )
    print()
    print(
        "p50 / p95 ms by kind of query, against the target p95 (PostgreSQL"
        f" < {TARGETS['postgres'][0]} ms at {TARGETS['postgres'][1]:,} articles,"
        f" SQLite < {TARGETS['sqlite'][0]} ms at {TARGETS['sqlite'][1]:,}):"
    )
    for result in results:
        for size in result["sizes"]:
            print_verdicts(result["database"], size)


def print_verdicts(database: str, size: dict) -> None:
    target, at = TARGETS[database]
    print(f"  {database} at {size['articles']:,} articles")
    print(f"    {'kind':<14} {'p50 ms':>8} {'p95 ms':>8}  verdict")
    missed = []
    for kind, times in size["by_kind"].items():
        verdict = "PASS" if times["p95"] < target else "MISS"
        if verdict == "MISS":
            missed.append(kind)
        print(
            f"    {kind:<14} {times['p50']:>8.1f} {times['p95']:>8.1f}"
            f"  {verdict} (n={times['n']})"
        )
    kinds = len(size["by_kind"])
    overall = f"MISS ({', '.join(missed)})" if missed else "PASS"
    print(
        f"    overall: {overall}, {kinds - len(missed)} of {kinds} kinds"
        f" with p95 < {target} ms"
        + ("" if size["articles"] >= at else f"; below the target's {at:,} articles")
    )


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.1f}x" if reference else "n/a"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(args)
    started = time.monotonic()
    results = []
    try:
        for database in args.databases:
            measure = measure_sqlite if database == "sqlite" else measure_postgres
            if args.database_url:
                measure = measure_existing
            result = measure(args)
            if result:
                results.append(result)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if not results:
        print("nothing measured", file=sys.stderr)
        return 1
    print_report(results, args)
    print(f"\nTotal time: {(time.monotonic() - started) / 60:.1f} min")
    return 0


# --- the worker: one database, in-process ---------------------------------------------


def worker(args) -> int:
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()
    from django.core.management import call_command

    from dateline.newsroom.models import ArticlePage

    say("migrating the database ...")
    call_command("migrate", verbosity=0)
    have = ArticlePage.objects.count()
    say(f"  it holds {have:,} articles")
    # An existing database already at the largest size is measured at its own.
    steps = [size for size in args.sizes if size > have] or [have]
    sizes = []
    for size in steps:
        grown = size > have
        if grown:
            began = time.monotonic()
            say(f"generating and indexing {size - have:,} articles (to {size:,}) ...")
            call_command(
                "generate", articles=size - have, seed=size, stdout=io.StringIO()
            )
            have = size
            say(f"  done in {time.monotonic() - began:.0f} s")
        else:
            say(f"not growing: {have:,} articles reach the largest size")
        prepare_database(grown)
        say(f"  timing {len(QUERIES)} queries x {args.repeats} at {have:,} ...")
        sizes.append(measure(have, args.repeats))
    print(RESULT_PREFIX + json.dumps({**database_info(), "sizes": sizes}), flush=True)
    return 0


def say(message: str) -> None:
    print(message, flush=True)


def database_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    import wagtail

    database = "postgres" if connection.vendor == "postgresql" else "sqlite"
    return {
        "database": database,
        "version": f"{version}, Wagtail {wagtail.__version__}",
    }


def prepare_database(grown: bool) -> None:
    """Write each rare word into the articles of its share still lacking it and
    reindex just those: none on a second run."""
    from django.db import connection, transaction
    from django.db.models import Value
    from django.db.models.functions import Concat, Mod
    from wagtail.search.backends import get_search_backend

    from dateline.newsroom.models import ArticlePage

    labelled = 0
    for word, every in RARE_WORDS.items():
        label = f"{word.capitalize()}. "
        lacking = (
            ArticlePage.objects.alias(rest=Mod("pk", every))
            .filter(rest=0)
            # Not startswith: one article in a thousand carries both labels.
            .exclude(standfirst__contains=label)
        )
        # The index lives in the same database: the label and its indexing land
        # together, so an interrupted run leaves no labelled article unindexed.
        with transaction.atomic():
            pks = list(lacking.values_list("pk", flat=True))
            if not pks:
                continue
            chosen = ArticlePage.objects.filter(pk__in=pks)
            chosen.update(standfirst=Concat(Value(label), "standfirst"))
            get_search_backend().add_bulk(ArticlePage, list(chosen))
        labelled += len(pks)
    say(f"  rare words written into and reindexed for {labelled:,} articles")
    if connection.vendor == "postgresql":
        # VACUUM clears the dead rows the updates and the generator left, as
        # autovacuum would on a live site; with nothing written it would only read a
        # million-article database again for minutes. ANALYZE samples, seconds, and
        # gives a database restored or grown elsewhere its statistics.
        statement = "VACUUM ANALYZE" if grown or labelled else "ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(statement)
        say(f"  ran {statement}")


def measure(size: int, repeats: int) -> dict:
    from dateline.newsroom.queries import published_articles

    samples, by_kind = [], {}
    for kind, query, filter_name in QUERIES:
        arguments = filter_arguments(filter_name)
        one_search(query, arguments)  # warm-up
        times = [timed(one_search, query, arguments) for _ in range(repeats)]
        samples += times
        by_kind.setdefault(kind, []).extend(times)
    newest = published_articles
    list(newest()[:10])
    reference = [timed(lambda: list(newest()[:10])) for _ in range(REFERENCE_RUNS)]
    return {
        "articles": size,
        "search": summary(samples),
        "reference": summary(reference),
        "by_kind": {kind: summary(t) for kind, t in by_kind.items()},
    }


def one_search(query: str, arguments: dict) -> None:
    """What a reader's search costs: ranking, then the first page of results."""
    from dateline.search.queries import search_articles

    results = search_articles(query, **arguments)
    list(results[0:10])


def filter_arguments(name: str | None) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from dateline.newsroom.models import Author, SectionPage

    if name == "author":
        return {"author": Author.objects.order_by("pk").first()}
    if name == "section":
        return {"section": SectionPage.objects.order_by("path").first()}
    if name == "last 30 days":
        return {"date_from": timezone.localdate() - timedelta(days=30)}
    return {}


def timed(function, *args) -> float:
    began = time.perf_counter()
    function(*args)
    return (time.perf_counter() - began) * 1000


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50": percentile(ordered, 50),
        "p95": percentile(ordered, 95),
        "p99": percentile(ordered, 99),
    }


def percentile(sorted_samples: list[float], q: float) -> float:
    if not sorted_samples:
        return float("nan")
    index = min(len(sorted_samples) - 1, round(q / 100 * (len(sorted_samples) - 1)))
    return sorted_samples[index]


if __name__ == "__main__":
    sys.exit(main())
