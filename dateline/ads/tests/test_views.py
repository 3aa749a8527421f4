"""The first-party ad requests: fill, impression beacon, click, the no-JavaScript
fallback and the slots' stylesheet."""

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from dateline.ads.actions import do_flush_counts
from dateline.ads.models import AdDailyCount, Creative
from dateline.ads.tokens import CLICK, AdEvent, make_token

from .helpers import READER, fill, make_campaign, make_creative, placement

pytestmark = pytest.mark.django_db

BOTS = [
    "",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0",
    "python-requests/2.32",
    "curl/8.5.0",
    "facebookexternalhit/1.1",
]


def counts():
    do_flush_counts()  # counts kept in the cache (with Redis) reach the table
    row = AdDailyCount.objects.first()
    return (row.impressions, row.clicks) if row else (0, 0)


def beacon(client, token, agent=READER):
    return client.generic(
        "POST",
        "/ads/impression/",
        token,
        content_type="text/plain;charset=UTF-8",
        HTTP_USER_AGENT=agent,
    )


def test_fill_is_private_uncached_and_sets_no_cookie(client):
    make_campaign()
    response = client.get(
        "/ads/fill/", {"slots": "article-inline-3:300x250"}, HTTP_USER_AGENT=READER
    )
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Set-Cookie" not in str(response.headers)
    ad = response.json()["slots"]["article-inline-3"]
    assert ad["kind"] == "image"
    assert ad["src"].startswith("/media/images/")
    assert (ad["width"], ad["height"]) == (300, 250)
    assert ad["href"].startswith("/ads/click/")


def test_impression_counts_once_per_token(client):
    make_campaign()
    token = fill(client)["article-inline-3"]["impression"]
    assert beacon(client, token).status_code == 204
    assert beacon(client, token).status_code == 204  # a replay
    assert counts() == (1, 0)
    row = AdDailyCount.objects.get()
    assert row.day == timezone.localdate()
    assert row.placement == placement()


def test_forged_and_altered_tokens_are_refused(client):
    campaign = make_campaign()
    creative = campaign.creatives.get()
    forged = signing.dumps(
        [campaign.pk, creative.pk, placement().pk, "2026-01-01", "x"],
        salt="not-our-salt",
    )
    assert beacon(client, forged).status_code == 400
    assert beacon(client, "123:456:789").status_code == 400
    token = fill(client)["article-inline-3"]["impression"]
    assert beacon(client, token[:-2] + "xx").status_code == 400
    # A click token is not an impression token, nor the reverse.
    click = fill(client)["article-inline-3"]["href"].split("/")[3]
    assert beacon(client, click).status_code == 400
    assert client.get(f"/ads/click/{token}/").status_code == 400
    assert client.get("/ads/impression/").status_code == 405
    assert counts() == (0, 0)


def test_bots_are_not_counted(client):
    make_campaign()
    for agent in BOTS:
        ad = fill(client)["article-inline-3"]
        assert beacon(client, ad["impression"], agent).status_code == 204
        response = client.get(ad["href"], HTTP_USER_AGENT=agent)
        assert response.status_code == 302  # the bot still follows the link
    assert counts() == (0, 0)


def test_click_counts_and_redirects_to_the_advertiser(client):
    make_campaign()
    href = fill(client)["article-inline-3"]["href"]
    response = client.get(href, HTTP_USER_AGENT=READER)
    assert response.status_code == 302
    assert response["Location"] == "https://advertiser.example/offer"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert counts() == (0, 1)


def test_click_never_redirects_off_the_web(client):
    campaign = make_campaign(creatives=0)
    for url in ["javascript:alert(1)", "data:text/html,hi", "//evil.example/", "/x"]:
        with pytest.raises(ValidationError):
            make_creative(campaign, click_url=url)
    creative = make_creative(campaign)
    # Even a bad address written past the validation is never redirected to.
    Creative.objects.filter(pk=creative.pk).update(click_url="javascript:alert(1)")
    event = AdEvent(campaign.pk, creative.pk, placement().pk, timezone.localdate(), "n")
    from dateline.ads.queries import invalidate_inventory

    invalidate_inventory()
    response = client.get(f"/ads/click/{make_token(CLICK, event)}/")
    assert response.status_code == 400
    assert "Location" not in response


def test_ended_campaign_click_still_goes_through(client):
    campaign = make_campaign()
    href = fill(client)["article-inline-3"]["href"]
    from dateline.ads.actions import do_update_campaign

    do_update_campaign(campaign, ends_at=timezone.now())
    response = client.get(href, HTTP_USER_AGENT=READER)
    assert response["Location"] == "https://advertiser.example/offer"


def test_noscript_image_and_link_count_and_agree(client):
    campaign = make_campaign()
    query = "?page=1"
    image = client.get(
        f"/ads/noscript/article-inline-3/{query}", HTTP_USER_AGENT=READER
    )
    assert image.status_code == 302
    assert image["Location"].startswith("/media/images/")
    assert "no-store" in image["Cache-Control"]
    click = client.get(
        f"/ads/noscript/article-inline-3/click/{query}", HTTP_USER_AGENT=READER
    )
    assert click["Location"] == "https://advertiser.example/offer"
    assert counts() == (1, 1)
    row = AdDailyCount.objects.get()
    assert (row.campaign_id, row.impressions, row.clicks) == (campaign.pk, 1, 1)


def test_noscript_with_nothing_to_show_is_an_empty_pixel(client):
    response = client.get("/ads/noscript/article-inline-3/", HTTP_USER_AGENT=READER)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert len(response.content) < 100
    assert client.get("/ads/noscript/article-inline-3/click/")["Location"] == "/"


def test_slot_stylesheet_reserves_every_size_without_inline_style(client):
    response = client.get("/ads/slots.css")
    css = response.content.decode()
    assert response["Content-Type"].startswith("text/css")
    assert ".ad-slot__box--300x250 { width: 300px; height: 250px; }" in css
    assert ".ad-slot__box--728x90 { width: 728px; height: 90px; }" in css
    assert ".ad-slot--home .ad-slot__box { width: 320px; height: 100px; }" in css
    assert "max-age=300" in response["Cache-Control"]


def test_slot_stylesheet_url_changes_with_the_placements(client):
    from dateline.ads.actions import do_create_placement

    page = client.get("/").content.decode()
    url = page.split('href="/ads/slots.css?v=')[1].split('"')[0]
    versioned = client.get(f"/ads/slots.css?v={url}")
    assert "immutable" in versioned["Cache-Control"]
    do_create_placement("sidebar-top", "sidebar", 160, 600)
    page = client.get("/").content.decode()
    new_url = page.split('href="/ads/slots.css?v=')[1].split('"')[0]
    assert new_url != url
    css = client.get(f"/ads/slots.css?v={new_url}").content.decode()
    assert ".ad-slot__box--160x600 { width: 160px; height: 600px; }" in css
