"""Choosing ads with 200 running campaigns: how fast, and what it adds to a page view.

What it shows: that choosing an ad is an in-memory step (no database query), and what
ads cost a reader's page view, against a reference measured in the same run: the same
article page rendered with every placement turned off.

How: in a temporary data directory it migrates a fresh SQLite database (test
settings, local-memory cache), then builds one section, one long article and 200
running campaigns (a mix of image and text creatives, half with daily caps, a third
aimed at sections or tags). Then it times, in this process, with Django's test client:

* ``choose``: the chooser alone, for one slot, from the loaded inventory (choices/s);
* ``fill``: ``GET /ads/fill/`` for the article's three slots (requests/s, ms, queries);
* the article page with its ad slots and without any (ms each), and the ratio;
* the impression beacon, counted in the database and in the cache (ms each).

Times are CPU time of this process per call (see ``timed``); the pages with and
without slots are timed in alternating rounds.

A reader's page view costs the page's extra slot markup plus one fill request (the
beacons come later, one per ad actually seen). Run it from the repository root::

    .venv/bin/python benchmarks/ads.py [--campaigns 200] [--seconds 5]

Absolute numbers depend on the machine; compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=200, help="running (200)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per case (5)")
    return parser.parse_args(argv)


def setup_django(data_dir: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("DATELINE_", "DATABASE_", "REDIS_", "DJANGO_")):
            del os.environ[name]
    os.environ["DATELINE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dateline.site.settings.test"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_site(campaigns: int):
    from dateline.ads.actions import (
        do_add_creative,
        do_create_advertiser,
        do_create_campaign,
    )
    from dateline.ads.models import Placement
    from dateline.testing.factories import (
        make_article,
        make_image,
        make_section,
        paragraph_blocks,
    )

    section = make_section("Business")
    other = make_section("Sport")
    article = make_article(section, body=paragraph_blocks(10), tags=["rain", "budget"])
    placements = list(
        Placement.objects.filter(kind__in=["after_paragraph", "article_end"])
    )
    images = [make_image(f"Ad {n}", size=(600, 500)) for n in range(10)]
    advertiser = do_create_advertiser("Benchmark advertiser")
    for number in range(campaigns):
        targets = {}
        if number % 3 == 1:
            targets["sections"] = [section if number % 2 else other]
        elif number % 3 == 2:
            targets["tags"] = ["rain" if number % 2 else "cricket"]
        campaign = do_create_campaign(
            advertiser,
            f"Campaign {number}",
            priority=1 + number % 10,
            daily_cap=100_000 if number % 2 else None,
            placements=placements,
            **targets,
        )
        if number % 4 == 0:
            do_add_creative(
                campaign,
                f"Image {number}",
                kind="image",
                image=images[number % len(images)],
                alt_text="An ad",
                click_url="https://advertiser.example/",
            )
        else:
            do_add_creative(
                campaign,
                f"Text {number}",
                kind="text",
                headline=f"Offer {number}",
                click_url="https://advertiser.example/",
            )
    return article


def timed(call, seconds: float) -> list[float]:
    """CPU milliseconds per call, calling for about ``seconds`` after a warm-up.

    CPU time of this process, not wall time: everything here runs in-process
    (SQLite included), and other work on the machine then barely moves the figures.
    """
    for _ in range(3):
        call()
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.process_time()
        call()
        times.append((time.process_time() - start) * 1000)
    return times


def summary(times: list[float]) -> str:
    return (
        f"{len(times) / (sum(times) / 1000):10.0f}/s  "
        f"median {statistics.median(times):7.3f} ms  "
        f"p95 {sorted(times)[int(len(times) * 0.95)]:7.3f} ms"
    )


def queries_in(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def measure(article, seconds: float) -> None:
    from dataclasses import replace

    from django.test import Client
    from django.utils import timezone

    from dateline.ads.actions import do_update_placement
    from dateline.ads.models import Placement
    from dateline.ads.queries import inventory
    from dateline.ads.selection import PageContext, choose
    from dateline.ads.tokens import IMPRESSION, AdEvent, make_token

    reader = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
    client = Client(HTTP_USER_AGENT=reader, HTTP_HOST="localhost")
    loaded = inventory()
    slot = loaded.slots["article-inline-3"]
    page = PageContext(article.pk, article.section_id, frozenset({"rain", "budget"}))
    now = timezone.now()
    turn = iter(range(10**9))

    def choose_one():
        candidates = loaded.candidates(slot, page, now)
        return choose(candidates, (300, 250), next(turn), {})

    candidates = len(loaded.candidates(slot, page, now))
    choices = timed(choose_one, seconds)

    slots = "article-inline-3:300x250,article-inline-8:300x250,article-end:300x250"
    query = {
        "page": article.pk,
        "section": article.section_id,
        "tags": "budget,rain",
        "slots": slots,
    }

    def fill():
        response = client.get("/ads/fill/", query)
        assert response.status_code == 200

    fills = timed(fill, seconds)
    fill_queries = queries_in(fill)

    def view():
        assert client.get(article.url).status_code == 200

    def placements_on(enabled):
        for placement in Placement.objects.all():
            do_update_placement(placement, enabled=enabled)
        inventory()

    # Alternating rounds, so drift on a busy machine falls on both alike.
    with_ads, without_ads = [], []
    for _ in range(ROUNDS):
        placements_on(True)
        with_ads += timed(view, seconds / ROUNDS)
        with_ads_queries = queries_in(view)
        placements_on(False)
        without_ads += timed(view, seconds / ROUNDS)
        without_ads_queries = queries_in(view)
    placements_on(True)

    ad = loaded.campaigns[0].ads[0]
    event = AdEvent(ad.campaign_id, ad.id, slot.id, timezone.localdate())
    nonces = iter(range(10**9))

    def beacon():
        token = make_token(IMPRESSION, replace(event, nonce=str(next(nonces))))
        client.generic("POST", "/ads/impression/", token)

    from django.test import override_settings

    with override_settings(DATELINE_AD_COUNT_IN_CACHE=False):
        beacons_db = timed(beacon, seconds)
    with override_settings(DATELINE_AD_COUNT_IN_CACHE=True):
        beacons_cache = timed(beacon, seconds)

    reference = statistics.median(without_ads)
    slots_cost = statistics.median(with_ads) - reference
    fill_cost = statistics.median(fills)
    rows = [
        ("choose (in memory)", summary(choices)),
        ("GET /ads/fill/ (3 slots)", f"{summary(fills)}  queries {fill_queries}"),
        (
            "article, no ads (ref.)",
            f"{summary(without_ads)}  queries {without_ads_queries}",
        ),
        ("article, with ad slots", f"{summary(with_ads)}  queries {with_ads_queries}"),
        ("impression, database", summary(beacons_db)),
        ("impression, cache", summary(beacons_cache)),
        ("", ""),
        (
            "slot markup on the page",
            f"{slots_cost:+.3f} ms ({slots_cost / reference:+.1%})",
        ),
        (
            "fill request",
            f"{fill_cost:.3f} ms ({fill_cost / reference:.1%} of the page)",
        ),
        (
            "ads per page view",
            f"{slots_cost + fill_cost:.3f} ms = "
            f"{(slots_cost + fill_cost) / reference:.2f}x the page without ads",
        ),
        ("one choice vs the page", f"1/{reference / statistics.median(choices):.0f}"),
    ]
    print(f"campaigns running: {len(loaded.campaigns)}; for the slot: {candidates}")
    for label, text in rows:
        print(f"{label:26}{text}" if label else "")


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-ads-bench-"))
    try:
        setup_django(data_dir)
        article = build_site(args.campaigns)
        measure(article, args.seconds)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
