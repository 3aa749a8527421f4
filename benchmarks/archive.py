"""Time publishing one article as the archive grows, with Wagtail's stock search
backend and with Dateline's.

What it measures: publishing one article as the admin does
(``dateline.newsroom.actions.do_publish_article``), then running the tasks that
publishing queued as the worker would (``dateline.worker.queue.run_ready``), search
indexing among them: the publish, the worker's share (and of it the indexing
task, by its own start and finish) and their sum, p50 over ``--repeats``
articles, at each size of ``--sizes`` (1,000 and 100,000 generated articles).
Each size is timed twice in the same run, switching only
``WAGTAILSEARCH_BACKENDS``: Wagtail's stock database backend
(``wagtail.search.backends.database``), which averages every title of the index on
each add, and Dateline's (``dateline.search.backends``), which reads only the new
entry's. The reference is the same backend at the smallest size: a ratio near 1
means the cost does not grow with the archive.

Where: the database of ``DATABASE_URL`` (migrated here, grown with ``dateline
generate``; articles already there count), or, without it, SQLite in a temporary
data directory. Run from the repository root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \\
        .venv/bin/python benchmarks/archive.py [--sizes 1000,100000] [--repeats 7]

Growing to 100,000 articles takes several minutes on a two-core machine.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

STOCK = {"default": {"BACKEND": "wagtail.search.backends.database"}}
OURS = {"default": {"BACKEND": "dateline.search.backends"}}
BACKENDS = [("stock", STOCK), ("dateline", OURS)]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="article counts")
    parser.add_argument("--repeats", type=int, default=7, help="articles per timing")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",")})
    except ValueError:
        parser.error("--sizes must be whole numbers separated by commas")
    if args.sizes[0] < 1 or args.repeats < 1:
        parser.error("--sizes and --repeats must be positive")
    return args


def set_up() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.site.settings.production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DATELINE_HTTPS", "0")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATELINE_DATA_DIR"] = tempfile.mkdtemp(prefix="dateline-archive-")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    return f"PostgreSQL {connection.pg_version // 10000}"


def grow(size: int) -> None:
    from django.core.management import call_command

    from dateline.newsroom.models import ArticlePage

    have = ArticlePage.objects.count()
    if have < size:
        print(
            f"  growing the archive from {have:,} to {size:,} articles...", flush=True
        )
        call_command("generate", articles=size - have, seed=size, stdout=io.StringIO())


def publish_once(number: int) -> tuple[float, float, float]:
    """Seconds to publish one new article, to run what it queued, and of that the
    search-indexing task."""
    from dateline.newsroom.actions import do_create_article, do_publish_article
    from dateline.newsroom.models import Author, SectionPage
    from dateline.worker.queue import run_ready

    article = do_create_article(
        SectionPage.objects.live().first(),
        authors=[Author.objects.first()],
        title=f"Harbour pilots return to work after the strike, number {number}",
        standfirst="The port reopens.",
        body=[{"type": "paragraph", "value": "<p>Ships moved again today.</p>"}],
        dateline_place="Karachi",
    )
    run_ready(worker_id="benchmark")  # what creating the draft queued, untimed
    started = time.perf_counter()
    do_publish_article(article)
    published = time.perf_counter()
    run_ready(worker_id="benchmark")
    return published - started, time.perf_counter() - published, indexing_seconds()


def indexing_seconds() -> float:
    """How long the worker's last search-indexing task took, by its own record."""
    from django_tasks_db.models import DBTaskResult

    last = (
        DBTaskResult.objects.filter(task_path__endswith="insert_or_update_object_task")
        .exclude(finished_at=None)
        .latest("finished_at")
    )
    return (last.finished_at - last.started_at).total_seconds()


def measure(size: int, repeats: int, serial: list[int]) -> dict[str, tuple]:
    from django.test import override_settings

    figures = {}
    for name, backends in BACKENDS:
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            publish_once(next_number(serial))  # warm up (and first figures)
            runs = [publish_once(next_number(serial)) for _ in range(repeats)]
        publish = statistics.median(run[0] for run in runs) * 1000
        worker = statistics.median(run[1] for run in runs) * 1000
        index = statistics.median(run[2] for run in runs) * 1000
        total = statistics.median(run[0] + run[1] for run in runs) * 1000
        figures[name] = (publish, worker, index, total)
    return figures


def next_number(serial: list[int]) -> int:
    serial[0] += 1
    return serial[0]


def report(database: str, results: dict[int, dict], repeats: int) -> None:
    smallest = min(results)
    print()
    print(f"{database}, p50 of {repeats} publishes, ms")
    print(
        "| backend | articles | publish | worker | of which indexing | total "
        f"| indexing / at {smallest:,} | total / at {smallest:,} |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, _ in BACKENDS:
        for size, figures in sorted(results.items()):
            publish, worker, index, total = figures[name]
            first = results[smallest][name]
            print(
                f"| {name} | {size:,} | {publish:.1f} | {worker:.1f} | {index:.1f} "
                f"| {total:.1f} | {index / first[2]:.2f}x | {total / first[3]:.2f}x |"
            )
    for size, figures in sorted(results.items()):
        stock, ours = figures["stock"], figures["dateline"]
        print(
            f"stock / dateline at {size:,} articles: indexing "
            f"{stock[2] / ours[2]:.2f}x, total {stock[3] / ours[3]:.2f}x"
        )


def main(argv=None) -> int:
    args = parse_args(argv)
    database = set_up()
    print(f"Publishing one article, on {database}", flush=True)
    results, serial = {}, [0]
    for size in args.sizes:
        grow(size)
        results[size] = measure(size, args.repeats, serial)
        print(f"  {size:,} articles: {results[size]}", flush=True)
    report(database, results, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
