"""Reader pages, feeds, sitemaps, the API and the admin at 1,000 articles and at a
huge archive: does each keep its speed as the archive grows?

What it measures, in-process through Django's test client with the page and
fragment caches off (every request renders and queries; no HTTP server, so the
figure is the application's own cost): requests per second over ``--seconds`` for
each reader address (the article view, home, a section's first page and page 20,
a tag, an author, the sitemap index, a month of articles, the Google News sitemap,
the site's RSS, Atom and JSON feeds, a section's feed, the API's article list),
and its query count. The admin's page listing of the biggest section and the
admin search: the slowest of three, in milliseconds. Publish-to-live: an article
republished through ``do_publish_article`` with the purge going to a Varnish in
front of ``dateline serve`` (page cache on), polled through Varnish until the new
standfirst shows: the slowest of ten, in milliseconds.

The reference is the same address at ``--reference`` articles (1,000), measured
in the same run on its own database. Targets: each reader row keeps >= 90% of
its reference throughput; the admin answers in < 1 s and publish-to-live is
< 300 ms at the big size.

Databases: PostgreSQL (``--database postgres``, the default; ``--size`` 1,000,000)
or SQLite (``--size`` 100,000). Without ``--small-url``/``--big-url`` each size
gets a new database (PostgreSQL: ``dateline_pages_<size>`` on 127.0.0.1, kept for
the next run; SQLite: a temporary directory), migrated and grown with
``dateline generate``. With them, an existing database is grown to its size if
it has fewer articles, and reused::

    .venv/bin/python benchmarks/archive_pages.py --database postgres \\
        --big-url postgres://postgres@127.0.0.1:5432/NAME [--size 1000000]
    .venv/bin/python benchmarks/archive_pages.py --database sqlite \\
        --big-url sqlite:////path/to/dateline.sqlite3 --size 100000
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
KEEP = 0.9  # of the reference throughput
ADMIN_MS = 1000
PUBLISH_MS = 300
PUBLISHES = 10
# A deep page that exists at the 1,000-article reference too (a section there
# holds about 28 pages of 12): both sizes skip the same number of stories. Pages
# past a listing's end are not found since listings stopped being counted.
DEEP_PAGE = 20


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", choices=["postgres", "sqlite"], default="postgres"
    )
    parser.add_argument("--size", type=int, help="articles in the big archive")
    parser.add_argument("--reference", type=int, default=1000)
    parser.add_argument("--small-url", help="an existing database for the reference")
    parser.add_argument("--big-url", help="an existing database for the big size")
    parser.add_argument("--seconds", type=float, default=2.0, help="per address")
    parser.add_argument("--rounds", type=int, default=2, help="turns per address")
    parser.add_argument(
        "--skip", default="", help="reader rows to leave out, comma-separated names"
    )
    parser.add_argument("--no-proxy", action="store_true", help="skip publish-to-live")
    parser.add_argument("--no-admin", action="store_true", help="skip the admin rows")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.size is None:
        args.size = 1_000_000 if args.database == "postgres" else 100_000
    return args


# --- the measuring process: one database, set up by its environment ----------------


def set_up() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.site.settings.production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.update(
        DATELINE_HTTPS="0",
        DATELINE_PAGE_CACHE="0",
        DATELINE_FRAGMENT_CACHE="0",
        DATELINE_SCHEDULER="0",
        ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
    )
    from dateline.testing.proxy import free_port

    # Publishing purges the proxy at this address: known before settings load.
    os.environ["DATELINE_PROXY_PURGE_URL"] = f"http://127.0.0.1:{free_port()}"
    import django

    django.setup()


def grow(size: int) -> None:
    from django.core.management import call_command

    from dateline.newsroom.models import ArticlePage

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest
    have = ArticlePage.objects.count()
    if have < size:
        print(f"  growing from {have:,} to {size:,} articles...", file=sys.stderr)
        call_command("generate", articles=size - have, stdout=sys.stderr)


def addresses() -> dict[str, str]:
    """The reader addresses measured, picked the same way at every size."""
    from django.db.models import Count

    from dateline.newsroom.models import ArticlePage, Author, SectionPage

    section = SectionPage.objects.live().order_by("path").first()
    newest = ArticlePage.objects.released().order_by("-first_published_at").first()
    middle = ArticlePage.objects.released().order_by("pk")[
        ArticlePage.objects.count() // 2
    ]
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    month = f"{newest.first_published_at:%Y-%m}"
    return {
        "article": middle.url,
        "home": "/",
        "section": section.url,
        f"section ?page={DEEP_PAGE}": f"{section.url}?page={DEEP_PAGE}",
        "tag": "/tags/water/",
        "author": f"/authors/{author.slug}/",
        "sitemap index": "/sitemap.xml",
        "sitemap, a month": f"/sitemap-articles-{month}.xml",
        "Google News sitemap": "/sitemap-news.xml",
        "RSS": "/feed/",
        "Atom": "/feed/atom/",
        "JSON Feed": "/feed/json/",
        "section feed": f"/feeds/section/{section.slug}/",
        "API articles": "/api/v1/articles/",
    }


def throughput(client, address: str, seconds: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm: Wagtail's and the site's in-process caches
        response = client.get(address)
    if response.status_code != 200:
        raise RuntimeError(f"{address} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(address)
    queries = len(captured.captured_queries)  # before the next request clears them
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        client.get(address)
        done += 1
    return {
        "rps": done / (time.perf_counter() - started),
        "queries": queries,
        # A sitemap's document grows with what its month or two days hold; its
        # cost per address listed is what can stay flat.
        "urls": response.content.count(b"<url>"),
    }


def admin_ms(client, address: str) -> float:
    slowest = 0.0
    client.get(address)
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(address)
        slowest = max(slowest, time.perf_counter() - started)
    if response.status_code != 200:
        raise RuntimeError(f"{address} answered {response.status_code}")
    return slowest * 1000


def admin_rows(client) -> dict:
    from django.contrib.auth import get_user_model

    from dateline.newsroom.models import SectionPage

    user = get_user_model().objects.filter(username="benchmark-editor").first()
    if user is None:
        user = get_user_model().objects.create_superuser("benchmark-editor")
    client.force_login(user)
    section = max(SectionPage.objects.live(), key=lambda s: s.numchild)
    return {
        "admin page listing": admin_ms(client, f"/admin/pages/{section.pk}/"),
        "admin search": admin_ms(client, "/admin/pages/search/?q=water"),
    }


def publish_to_live() -> float | None:
    """Slowest of ``PUBLISHES`` republishes to show through Varnish, in ms."""
    import http.client

    from dateline.newsroom.actions import do_publish_article
    from dateline.newsroom.models import ArticlePage
    from dateline.testing.proxy import Varnish, free_port, varnishd

    if not varnishd():
        return None
    port = free_port()
    purge_port = int(os.environ["DATELINE_PROXY_PURGE_URL"].rsplit(":", 1)[1])
    varnish = Varnish(port, port=purge_port)
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "dateline.cli", "serve", "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", "2"],
        env={**os.environ, "DATELINE_PAGE_CACHE": "1", "DATELINE_FRAGMENT_CACHE": "1"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    article = ArticlePage.objects.released().order_by("-first_published_at").first()

    def fetch() -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", varnish.port, timeout=10)
        try:
            conn.request("GET", article.url, headers={"Host": "localhost"})
            return conn.getresponse().read()
        except OSError:
            return b""
        finally:
            conn.close()

    slowest = 0.0
    try:
        with varnish:
            deadline = time.monotonic() + 120
            while b"</html>" not in fetch() and time.monotonic() < deadline:
                time.sleep(0.5)
            for n in range(PUBLISHES + 1):  # the first one warms up
                text = f"Harbour pilots back at work, update {n} {secrets.token_hex(4)}"
                article.standfirst = text
                started = time.perf_counter()
                do_publish_article(article)
                while text.encode() not in fetch():
                    if time.perf_counter() - started > 10:
                        return None
                    time.sleep(0.01)
                if n:
                    slowest = max(slowest, time.perf_counter() - started)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
    return slowest * 1000


def measure(args) -> None:
    """Answer the driver's requests, one JSON line each: the addresses first, then
    an address's throughput, the admin rows, publish-to-live."""
    set_up()
    from django.db import connection
    from django.test import Client

    from dateline.newsroom.models import ArticlePage

    grow(args.size)
    client = Client()
    answer(
        {
            "articles": ArticlePage.objects.count(),
            "vendor": connection.vendor,
            "addresses": addresses(),
        }
    )
    for line in sys.stdin:
        request = json.loads(line)
        if request["what"] == "throughput":
            answer(throughput(client, request["address"], args.seconds))
        elif request["what"] == "admin":
            answer(admin_rows(Client()))
        else:
            answer(None if args.no_proxy else publish_to_live())


def answer(value) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


# --- the driving process: one measuring process per size, asked in turn -------------


def database_env(args, size: int, url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATELINE_DATA_DIR"] = tempfile.mkdtemp(prefix=f"dateline-pages-{size}-")
    if url:
        env["DATABASE_URL"] = url
    elif args.database == "postgres":
        name = f"dateline_pages_{size}"
        subprocess.run(  # noqa: S603 - fails harmlessly when it exists
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],  # noqa: S607
            stderr=subprocess.DEVNULL,
            check=False,
        )
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    return env


class Site:
    """One measuring process over one database."""

    def __init__(self, args, size: int, url: str | None):
        print(f"Setting up {size:,} articles ...", flush=True)
        command = [sys.executable, __file__, "--measure", "--size", str(size)]
        command += ["--seconds", str(args.seconds)] + (["--no-proxy"] * args.no_proxy)
        self.proc = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            env=database_env(args, size, url),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.facts = self.read()

    def ask(self, what: str, **fields):
        self.proc.stdin.write(json.dumps({"what": what, **fields}) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def read(self):
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the measuring process stopped ({self.proc.wait()})")
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def compare(args, small: Site, big: Site) -> dict:
    """Each address at both sizes in turn, ``--rounds`` times: the best of each, so
    that a burst of other work on the machine lands on both sides alike."""
    rows = {}
    skipped = set(filter(None, args.skip.split(",")))
    for name in small.facts["addresses"]:
        if name in skipped:
            continue
        best = {"small": None, "big": None}
        for _ in range(args.rounds):
            for side, site in (("small", small), ("big", big)):
                got = site.ask("throughput", address=site.facts["addresses"][name])
                if best[side] is None or got["rps"] > best[side]["rps"]:
                    best[side] = got
        rows[name] = best
        print(
            f"  {name}: {best['small']['rps']:.1f}/s, {best['big']['rps']:.1f}/s",
            flush=True,
        )
    return rows


def verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else ("PASS" if passed else "MISS")


def report_readers(small: Site, big: Site, rows: dict) -> None:
    at_small = f"{small.facts['articles']:,}"
    at_big = f"{big.facts['articles']:,}"
    print(f"\n{big.facts['vendor']}, in-process test client, caches off")
    print(
        f"| row | at {at_small} | at {at_big} | ratio | queries "
        f"| target | result |\n|---|---:|---:|---:|---:|---|---|"
    )
    for name, best in rows.items():
        ref, now = best["small"], best["big"]
        ratio = now["rps"] / ref["rps"]
        print(
            f"| {name} | {ref['rps']:.1f}/s | {now['rps']:.1f}/s | {ratio:.2f} "
            f"| {ref['queries']} / {now['queries']} | >= {KEEP:.0%} "
            f"| {verdict(ratio >= KEEP)} |",
            flush=True,
        )
        if ref["urls"] and now["urls"] and ref["urls"] != now["urls"]:
            per_ref, per_now = ref["rps"] * ref["urls"], now["rps"] * now["urls"]
            print(
                f"| {name}, addresses listed a second ({ref['urls']:,} / "
                f"{now['urls']:,} a document) | {per_ref:,.0f}/s | {per_now:,.0f}/s "
                f"| {per_now / per_ref:.2f} | | >= {KEEP:.0%} "
                f"| {verdict(per_now / per_ref >= KEEP)} |",
                flush=True,
            )


def report_admin(admin: dict) -> None:
    for name, ms in admin["big"].items():
        ref = admin["small"][name]
        print(
            f"| {name} | {ref:.0f} ms | {ms:.0f} ms | {ms / ref:.2f} | "
            f"| < {ADMIN_MS} ms | {verdict(ms < ADMIN_MS)} |",
            flush=True,
        )


def report_publish(publish: dict) -> None:
    ref, ms = publish["small"], publish["big"]
    print(
        f"| publish-to-live via Varnish, slowest of {PUBLISHES} "
        f"| {ref or 0:.0f} ms | {ms or 0:.0f} ms | | | < {PUBLISH_MS} ms "
        f"| {verdict(None if ms is None else ms < PUBLISH_MS)} |",
        flush=True,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.measure:
        measure(args)
        return 0
    small = Site(args, args.reference, args.small_url)
    big = Site(args, args.size, args.big_url)
    # Each part of the table is printed as soon as it is measured: a run stopped
    # in the admin rows (slow at a big size) keeps what it measured before them.
    try:
        report_readers(small, big, compare(args, small, big))
        if not args.no_admin:
            report_admin({"small": small.ask("admin"), "big": big.ask("admin")})
        if not args.no_proxy:
            report_publish({"small": small.ask("publish"), "big": big.ask("publish")})
    finally:
        small.close()
        big.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
