"""Choosing ads must not cost database queries per ad or per view: the inventory is
loaded once and choices are made in memory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.ads.actions import do_create_advertiser
from dateline.ads.queries import inventory
from dateline.ads.tokens import IMPRESSION, AdEvent, make_token
from dateline.testing.factories import make_article, paragraph_blocks

from .helpers import READER, fill, make_campaign, make_creative, placement

pytestmark = pytest.mark.django_db

SLOTS = "article-inline-3:300x250,article-inline-8:300x250,article-end:300x250"


def text_campaigns(count, **fields):
    advertiser = do_create_advertiser(f"Bulk advertiser {count}")
    for number in range(count):
        campaign = make_campaign(
            advertiser=advertiser,
            creatives=0,
            placements=["article-inline-3", "article-inline-8", "article-end"],
            daily_cap=1000 if number % 2 else None,
            **fields,
        )
        make_creative(campaign, kind="text", headline=f"Offer {number}")


def queries_for(call):
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def test_fill_makes_no_query_once_the_inventory_is_loaded(
    client, django_assert_num_queries
):
    text_campaigns(200)
    fill(client, SLOTS)  # the first request after a change loads the inventory
    with django_assert_num_queries(0):
        slots = fill(client, SLOTS)
    assert {ad["kind"] for ad in slots.values()} == {"text"}


def test_inventory_loads_in_a_fixed_number_of_queries():
    text_campaigns(5)
    few = queries_for(inventory)
    text_campaigns(50)
    assert queries_for(inventory) == few


def test_article_page_queries_do_not_grow_with_campaigns(client):
    article = make_article(body=paragraph_blocks(10), tags=["rain"])
    text_campaigns(2)
    client.get(article.url)
    baseline = queries_for(lambda: client.get(article.url))
    text_campaigns(60, tags=["rain"])
    client.get(article.url)  # reloads the inventory once after the change
    assert queries_for(lambda: client.get(article.url)) == baseline


def test_counting_an_impression_is_one_update(client, settings):
    settings.DATELINE_AD_COUNT_IN_CACHE = False
    campaign = make_campaign()
    inventory()
    event = AdEvent(
        campaign.pk,
        campaign.creatives.get().pk,
        placement().pk,
        timezone.localdate(),
        "first",
    )

    def post(nonce):
        token = make_token(
            IMPRESSION, AdEvent(*list(event.__dict__.values())[:4], nonce)
        )
        client.generic("POST", "/ads/impression/", token, HTTP_USER_AGENT=READER)

    post("first")  # makes the day's row
    assert queries_for(lambda: post("second")) == 1
    settings.DATELINE_AD_COUNT_IN_CACHE = True
    assert queries_for(lambda: post("third")) == 0
