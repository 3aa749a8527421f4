"""Counting under concurrency: many beacons and clicks at once give exact totals,
whether counts go straight to the database or through the cache and a flush.

Run on PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test.
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from dateline.ads.actions import do_flush_counts
from dateline.ads.models import AdDailyCount
from dateline.ads.queries import inventory
from dateline.ads.tokens import CLICK, IMPRESSION, AdEvent, make_token

from .helpers import READER, make_campaign, placement

THREADS = 8
EACH = 25


def run_in_threads(work, count=THREADS):
    errors = []

    def runner(number):
        try:
            work(number)
        except Exception as exc:  # reported below, with the thread's number
            errors.append((number, repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def beacons_and_clicks(campaign, placements):
    """Every thread sends EACH impressions and, for every fifth, a click, spread
    over two creatives and two placements: eight day rows raced for at once."""
    creatives = list(campaign.creatives.all())
    today = timezone.localdate()
    inventory()  # loaded once, as a running site has it

    def work(number):
        client = Client(HTTP_USER_AGENT=READER)
        for index in range(EACH):
            creative = creatives[index % 2]
            slot = placements[(index // 2) % 2]
            event = AdEvent(
                campaign.pk, creative.pk, slot.pk, today, f"{number}-{index}"
            )
            response = client.generic(
                "POST", "/ads/impression/", make_token(IMPRESSION, event)
            )
            assert response.status_code == 204, response.status_code
            if index % 5 == 0:
                response = client.get(f"/ads/click/{make_token(CLICK, event)}/")
                assert response.status_code == 302, response.status_code

    return work


def totals():
    rows = AdDailyCount.objects.all()
    return (
        sum(row.impressions for row in rows),
        sum(row.clicks for row in rows),
        rows.count(),
    )


# serialized_rollback: the placements the migrations made are back for later tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_counts_in_the_database_are_exact(settings):
    settings.DATELINE_AD_COUNT_IN_CACHE = False
    campaign = make_campaign(creatives=2)
    slots = [placement("article-inline-3"), placement("article-end")]
    run_in_threads(beacons_and_clicks(campaign, slots))
    assert totals() == (THREADS * EACH, THREADS * 5, 4)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_counts_in_the_cache_are_exact_after_flushes(settings):
    settings.DATELINE_AD_COUNT_IN_CACHE = True
    campaign = make_campaign(creatives=2)
    slots = [placement("article-inline-3"), placement("article-end")]
    work = beacons_and_clicks(campaign, slots)
    stop = threading.Event()

    def flusher():
        # Flushing while beacons arrive must neither lose nor double a count.
        try:
            while not stop.is_set():
                do_flush_counts()
        finally:
            connection.close()

    background = threading.Thread(target=flusher)
    background.start()
    try:
        run_in_threads(work)
    finally:
        stop.set()
        background.join()
    call_command("flush_ad_counts", verbosity=0)
    assert totals() == (THREADS * EACH, THREADS * 5, 4)
    assert do_flush_counts() == 0


@pytest.mark.django_db
def test_counts_in_the_cache_wait_for_a_flush(settings, reader_client):
    settings.DATELINE_AD_COUNT_IN_CACHE = True
    campaign = make_campaign()
    event = AdEvent(
        campaign.pk,
        campaign.creatives.get().pk,
        placement().pk,
        timezone.localdate(),
        "one",
    )
    reader_client.generic("POST", "/ads/impression/", make_token(IMPRESSION, event))
    assert totals() == (0, 0, 0)
    assert do_flush_counts() == 1
    assert totals() == (1, 0, 1)


@pytest.mark.django_db
def test_the_worker_flushes_at_each_interval(settings, reader_client):
    from dateline.worker.runner import run_once

    settings.DATELINE_AD_COUNT_IN_CACHE = True
    campaign = make_campaign()
    event = AdEvent(
        campaign.pk,
        campaign.creatives.get().pk,
        placement().pk,
        timezone.localdate(),
        "one",
    )
    reader_client.get(f"/ads/click/{make_token(CLICK, event)}/")
    assert totals() == (0, 0, 0)
    run_once()
    assert totals() == (0, 1, 1)
