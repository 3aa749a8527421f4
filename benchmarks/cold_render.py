"""What a cold page costs in CPU, against the floor of the same process.

Each public page type is rendered for every request (``DATELINE_PAGE_CACHE=0``, the
production settings otherwise) through Django's test client, in one process, and its
CPU time (``time.process_time``) per view is set against the *floor*: a trivial view
that returns the same bytes through the same middleware. The ratio is what the page's
own work costs beyond what any response costs; the target for the article is 3x.
The article is also served as stock Wagtail serves it (``stock_wagtail/``), in a
process of its own: its CPU per view over this code's, target 2x.

The data set is the demo outlet plus ``--articles`` generated, published and indexed
stories, on the embedded default (SQLite and the file cache) or, with
``--db postgres``, on a scratch PostgreSQL database with Redis. Each case is viewed
``--views`` times after a warm-up; the median of ``--rounds`` rounds is reported, so a
neighbour's burst of CPU on a shared machine moves one round, not the figure.

Run it from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/cold_render.py [--articles 1000] [--views 200]
        [--rounds 5] [--db sqlite|postgres]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import delivery

TARGET = 3.0
STOCK_TARGET = delivery.STOCK_TARGET

# Run in a process of its own with the site's production settings: every case is
# viewed ``views`` times per round, the floor interleaved with the pages so that both
# see the same machine.
MEASURE_SCRIPT = """
import json, statistics, sys, time, types
import django
django.setup()
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

cases, views, rounds = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
client = Client()
bodies = {}
for name, address in cases.items():
    for _ in range(3):  # renditions made, Wagtail's caches warm
        response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    bodies[name] = response.content

# The floor: the same bytes from a view that does nothing, behind the same middleware.
floor_urls = types.ModuleType("dateline_floor_urls")
floor_urls.urlpatterns = [
    path(f"__floor__/{name}/", lambda request, body=body: HttpResponse(body))
    for name, body in bodies.items()
] + [path("", include("dateline.site.urls"))]
sys.modules["dateline_floor_urls"] = floor_urls


def cpu_per_view(address):
    started = time.process_time()
    for _ in range(views):
        client.get(address)
    return (time.process_time() - started) / views


results = {name: {"page": [], "floor": []} for name in cases}
with override_settings(ROOT_URLCONF="dateline_floor_urls"):
    for name in cases:
        assert client.get(f"/__floor__/{name}/").content == bodies[name]
    for _ in range(rounds):
        for name, address in cases.items():
            results[name]["page"].append(cpu_per_view(address))
            results[name]["floor"].append(cpu_per_view(f"/__floor__/{name}/"))
    for name, address in cases.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(address)
        results[name]["queries"] = len(captured.captured_queries)
        results[name]["bytes"] = len(bodies[name])
    # With "hit": the first case served from the page cache, against the same floor
    # (which the page cache stays off for): the cheapest answer of that page.
    name = next(iter(cases))
    if sys.argv[4:] == ["hit"]:
        hit = results[f"{name}, page cache hit"] = {"page": [], "floor": []}
        with override_settings(DATELINE_PAGE_CACHE=True):
            for _ in range(2):
                response = client.get(cases[name])
            assert response["X-Page-Cache"] == "hit", response.get("X-Page-Cache")
            assert response.content == bodies[name]
        for _ in range(rounds):
            with override_settings(DATELINE_PAGE_CACHE=True):
                hit["page"].append(cpu_per_view(cases[name]))
            hit["floor"].append(cpu_per_view(f"/__floor__/{name}/"))
        with override_settings(DATELINE_PAGE_CACHE=True):
            with CaptureQueriesContext(connection) as captured:
                client.get(cases[name])
        hit["queries"] = len(captured.captured_queries)
        hit["bytes"] = len(bodies[name])
print(json.dumps(results))
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="generated (1000)")
    parser.add_argument("--views", type=int, default=200, help="per case, per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (5)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)
    if min(args.articles, args.views, args.rounds) <= 0:
        parser.error("--articles, --views and --rounds must be > 0")
    # What delivery.py's helpers read of the options.
    args.seconds, args.concurrency, args.workers, args.warmup = 1, 1, 1, 0
    args.uncached_target = None
    return args


def cases_of(run) -> dict[str, str]:
    """One address per public page type, found in the built data set."""
    script = (
        "import json, django; django.setup()\n"
        "from dateline.newsroom.models import SectionPage, Author\n"
        "from taggit.models import Tag\n"
        "section = SectionPage.objects.live().order_by('path').first()\n"
        "author = Author.objects.order_by('pk').first()\n"
        "tag = Tag.objects.order_by('pk').first()\n"
        "print(json.dumps([section.url, author.slug, tag.slug]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=delivery.site_env(run, DATELINE_PAGE_CACHE="0"),
        cwd=run.data_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    section, author, tag = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "article": delivery.ARTICLE_PATH,
        "home": "/",
        "section": section,
        "tag": f"/tags/{tag}/",
        "author": f"/authors/{author}/",
    }


def measure(run, cases, hit=False, **extra_env) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE_SCRIPT,
            json.dumps(cases),
            str(run.args.views),
            str(run.args.rounds),
            *(["hit"] if hit else []),
        ],
        env=delivery.site_env(run, **{"DATELINE_PAGE_CACHE": "0", **extra_env}),
        cwd=run.data_dir,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"measuring failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: dict, run) -> list[dict]:
    rows = []
    for name, figures in results.items():
        page = statistics.median(figures["page"]) * 1000
        floor = statistics.median(figures["floor"]) * 1000
        ratio = page / floor
        row = {
            "page": name,
            "cpu_ms_per_view": round(page, 2),
            "floor_ms_per_view": round(floor, 2),
            "ratio": round(ratio, 2),
            "queries": figures["queries"],
            "kb": round(figures["bytes"] / 1024, 1),
        }
        if name == "article":
            row["target"] = f"<= {TARGET}x"
            row["result"] = "PASS" if ratio <= TARGET else "MISS"
        rows.append(row)
    print(
        f"\nCold render, CPU per view against the floor"
        f" ({run.args.db}, {run.args.articles:,} generated articles,"
        f" median of {run.args.rounds} rounds of {run.args.views} views)"
    )
    print(f"{'page':27} {'cpu ms':>8} {'floor ms':>9} {'ratio':>6} {'queries':>8}")
    for row in rows:
        print(
            f"{row['page']:27} {row['cpu_ms_per_view']:8.2f}"
            f" {row['floor_ms_per_view']:9.2f} {row['ratio']:5.2f}x"
            f" {row['queries']:8}  {row.get('result', '')}"
        )
    return rows


def report_hit(rows: list[dict]) -> None:
    """The article served by the page cache against its cold render: the ratio
    ``delivery.py`` holds to 10x over HTTP. A hit costs about the floor, so that
    ratio is about the cold render's own ratio to the floor."""
    cold = next(row for row in rows if row["page"] == "article")
    hit = next(row for row in rows if row["page"] == "article, page cache hit")
    hit["cold_over_hit"] = round(cold["cpu_ms_per_view"] / hit["cpu_ms_per_view"], 2)
    print(
        f"\nThe article's cold render costs {hit['cold_over_hit']:.2f}x its page cache"
        f" hit ({hit['cpu_ms_per_view']:.2f} ms, {hit['ratio']:.2f}x the floor)"
    )


def report_stock(figures: dict, article: dict) -> dict:
    """The article as stock Wagtail serves it (``stock_wagtail/``: Wagtail's routing,
    view restrictions and serving, the same templates), in its own process, and how
    many times this code's CPU per view it costs."""
    page = statistics.median(figures["page"]) * 1000
    floor = statistics.median(figures["floor"]) * 1000
    # CPU against CPU: the floors differ by the middleware the stock settings drop
    # (the site lookup), which stock Wagtail pays inside its view instead.
    ratio = page / article["cpu_ms_per_view"]
    row = {
        "page": "article, stock Wagtail serving",
        "cpu_ms_per_view": round(page, 2),
        "floor_ms_per_view": round(floor, 2),
        "queries": figures["queries"],
        "stock_over_this": round(ratio, 2),
        "target": f">= {STOCK_TARGET}x",
        "result": "PASS" if ratio >= STOCK_TARGET else "MISS",
    }
    print(
        f"\nThe article served by stock Wagtail: {page:.2f} CPU ms per view"
        f" (floor {floor:.2f} ms, {figures['queries']} queries):"
        f" {ratio:.2f}x this code's, target >= {STOCK_TARGET}x: {row['result']}"
    )
    return row


def main(argv=None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dateline-cold-") as folder:
        run = delivery.Run(args=args, data_dir=Path(folder))
        run.facts["db"] = args.db
        run.cache_prefix = f"bench-{secrets.token_hex(4)}"
        with delivery.contextlib.ExitStack() as stack:
            if run.postgres:
                delivery.create_database(run, stack)
            delivery.build_data(run)
            rows = report(measure(run, cases_of(run), hit=True), run)
            stock = measure(
                run, {"article": delivery.ARTICLE_PATH}, **delivery.stock_env()
            )
            rows.append(report_stock(stock["article"], rows[0]))
            report_hit(rows)
    out = delivery.RESULTS_DIR / f"cold_render-{args.db}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "rows": rows}, indent=2))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
