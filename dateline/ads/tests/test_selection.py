"""Which ad fills a slot: priority, rotation, caps, schedule, targeting, placement,
and the fallbacks (house campaigns, then the house ad, then nothing)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Site

from dateline.ads.actions import do_count, do_update_campaign
from dateline.ads.models import HouseAd
from dateline.ads.selection import Ad, CampaignEntry, choose, stride
from dateline.ads.tokens import IMPRESSION, AdEvent
from dateline.testing.factories import make_article, make_image, make_section

from .helpers import READER, campaign_shown, fill, make_campaign, placement

pytestmark = pytest.mark.django_db

SIZE = (300, 250)


def entry(id, priority=5, house=False, **fields):
    ad = Ad(id=id * 10, campaign_id=id, kind="text", click_url="https://a.example/")
    now = timezone.now()
    return CampaignEntry(
        id=id,
        priority=priority,
        house=house,
        starts_at=now - timedelta(days=1),
        ends_at=None,
        ads=(ad,),
        **fields,
    )


def shares(candidates, turns, counts=None):
    chosen = [choose(candidates, SIZE, turn, counts or {}) for turn in range(turns)]
    return [ad.campaign_id if ad else None for ad in chosen]


def test_equal_campaigns_take_strict_turns():
    shown = shares([entry(1), entry(2), entry(3)], 30)
    assert Counter(shown) == {1: 10, 2: 10, 3: 10}
    # Rotation, not chance: every window of three shows all three.
    for start in range(0, 30, 3):
        assert set(shown[start : start + 3]) == {1, 2, 3}


def test_share_follows_priority_and_is_spread_out():
    shown = shares([entry(1, priority=9), entry(2, priority=3)], 48)
    assert Counter(shown) == {1: 36, 2: 12}
    # The lesser campaign is not starved for long stretches either.
    assert all(2 in shown[start : start + 4] for start in range(0, 48, 4))


def test_stride_visits_every_point_once():
    for total in range(1, 60):
        assert sorted(turn * stride(total) % total for turn in range(total)) == list(
            range(total)
        )


def test_capped_campaign_drops_out_and_paid_comes_before_house():
    paid = entry(1, daily_cap=100)
    house = entry(2, house=True)
    assert set(shares([paid, house], 6)) == {1}
    assert set(shares([paid, house], 6, counts={1: (100, 100)})) == {2}
    total_capped = entry(3, total_cap=50)
    assert set(shares([total_capped], 3, counts={3: (0, 50)})) == {None}


def test_a_creative_of_another_size_does_not_fit():
    fixed = entry(1)
    fixed_ad = Ad(
        id=7,
        campaign_id=1,
        kind="text",
        click_url="https://a.example/",
        width=728,
        height=90,
    )
    wide = CampaignEntry(**{**fixed.__dict__, "ads": (fixed_ad,)})
    assert choose([wide], SIZE, 0, {}) is None
    assert choose([wide], (728, 90), 0, {}) is fixed_ad


def test_fill_rotates_campaigns_across_views(client):
    first, second = make_campaign(), make_campaign()
    shown = [campaign_shown(client) for _ in range(10)]
    assert Counter(shown) == {first.pk: 5, second.pk: 5}


def test_two_slots_on_one_page_show_different_campaigns(client):
    make_campaign(placements=["article-inline-3", "article-inline-8"])
    make_campaign(placements=["article-inline-3", "article-inline-8"])
    slots = fill(client, "article-inline-3:300x250,article-inline-8:300x250")
    assert slots["article-inline-3"]["alt"] != slots["article-inline-8"]["alt"]


def test_daily_cap_stops_a_campaign_until_the_next_day(client):
    capped = make_campaign(daily_cap=2, priority=10)
    other = make_campaign(priority=1)
    assert campaign_shown(client) == capped.pk
    for nonce in ("a", "b"):
        event = AdEvent(
            capped.pk,
            capped.creatives.get().pk,
            placement().pk,
            timezone.localdate(),
            nonce,
        )
        do_count(IMPRESSION, event, READER)
    assert {campaign_shown(client) for _ in range(6)} == {other.pk}
    # Tomorrow the daily count starts again.
    tomorrow = timezone.now() + timedelta(days=1)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert capped.pk in {campaign_shown(client) for _ in range(12)}


def test_total_cap_ends_a_campaign(client):
    capped = make_campaign(total_cap=1)
    ad = fill(client)["article-inline-3"]
    client.generic("POST", "/ads/impression/", ad["impression"], HTTP_USER_AGENT=READER)
    assert fill(client)["article-inline-3"] == {"kind": "none"}
    assert capped.pk


def test_campaigns_run_only_between_their_dates(client):
    now = timezone.now()
    make_campaign(starts_at=now + timedelta(hours=1))
    make_campaign(starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    assert fill(client)["article-inline-3"] == {"kind": "none"}
    running = make_campaign(
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)
    )
    assert campaign_shown(client) == running.pk


def test_paused_campaign_is_not_shown(client):
    campaign = make_campaign()
    do_update_campaign(campaign, paused=True)
    assert campaign_shown(client) is None


def test_targeting_by_section_tag_and_page(client):
    business, sport = make_section("Business"), make_section("Sport")
    story = make_article(business, tags=["budget"])
    by_section = make_campaign(sections=[sport])
    by_tag = make_campaign(tags=["cricket"])
    by_page = make_campaign(pages=[story])
    everywhere = make_campaign(priority=1)

    def shown(**page):
        return {campaign_shown(client, **page) for _ in range(20)}

    assert shown(page=story.pk, section=business.pk, tags="budget") == {
        by_page.pk,
        everywhere.pk,
    }
    assert shown(section=sport.pk) == {by_section.pk, everywhere.pk}
    assert shown(section=business.pk, tags="cricket,rain") == {
        by_tag.pk,
        everywhere.pk,
    }


def test_campaign_runs_only_in_its_placements(client):
    end_only = make_campaign(placements=["article-end"])
    assert campaign_shown(client, "article-inline-3") is None
    assert campaign_shown(client, "article-end") == end_only.pk


def test_campaign_without_placements_runs_in_every_one(client):
    anywhere = make_campaign(placements=[])
    assert campaign_shown(client, "article-end") == anywhere.pk
    # The home slot is 728×90, and 320×100 on phones: the image is cut to each.
    wide = fill(client, "home:728x90")["home"]
    assert (wide["width"], wide["height"]) == (728, 90)
    narrow = fill(client, "home:320x100")["home"]
    assert (narrow["width"], narrow["height"]) == (320, 100)
    # A size the placement does not have is taken as its main size.
    assert fill(client, "home:999x1")["home"]["width"] == 728


def test_house_campaign_fills_only_where_no_paid_one_fits(client):
    house = make_campaign(house=True, placements=[])
    paid = make_campaign(placements=["article-inline-3"])
    assert {campaign_shown(client) for _ in range(4)} == {paid.pk}
    assert campaign_shown(client, "article-end") == house.pk


def test_house_ad_setting_is_the_last_fallback(client):
    house_ad = HouseAd.for_site(Site.objects.get(is_default_site=True))
    house_ad.image = make_image("Subscribe")
    house_ad.link_url = "/subscribe/"
    house_ad.save()
    ad = fill(client)["article-inline-3"]
    assert ad["href"] == "/subscribe/"
    assert "impression" not in ad  # the outlet's own ad is not counted
    campaign = make_campaign()
    assert campaign_shown(client) == campaign.pk


def test_nothing_to_show_says_none(client):
    assert fill(client, "article-inline-3:300x250,section-top:728x90") == {
        "article-inline-3": {"kind": "none"},
        "section-top": {"kind": "none"},
    }
    assert fill(client, "no-such-slot:300x250") == {}


def test_text_and_html_creatives(client):
    from .helpers import make_creative

    campaign = make_campaign(creatives=0)
    make_creative(
        campaign,
        kind="text",
        headline="Rain boots, half price",
        text="This week only.",
    )
    text = fill(client)["article-inline-3"]
    assert text["kind"] == "text"
    assert text["headline"] == "Rain boots, half price"
    assert text["href"].startswith("/ads/click/")
    do_update_campaign(campaign, paused=True)
    other = make_campaign(creatives=0)
    make_creative(
        other,
        kind="html",
        html='<p onclick="x()">Visit <a href="javascript:alert(1)">us</a></p>'
        "<script>alert(2)</script>",
    )
    html = fill(client)["article-inline-3"]["html"]
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert '<a href="/ads/click/' in html
    assert 'rel="sponsored noopener"' in html
