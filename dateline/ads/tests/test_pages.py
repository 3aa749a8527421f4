"""Slots in the pages readers get: where they are, what they reserve, that pages stay
the same for every reader, sponsored articles, and no third party by default."""

import re

import pytest
from wagtail.models import Site

from dateline.ads.actions import (
    do_create_advertiser,
    do_sponsor_article,
    do_update_placement,
)
from dateline.ads.models import HouseAd
from dateline.testing.factories import (
    make_article,
    make_image,
    make_section,
    paragraph_blocks,
)
from dateline.testing.html import soup_of

from .helpers import READER, make_campaign, placement

pytestmark = pytest.mark.django_db


def slot_keys(soup):
    return [slot["data-ad-slot"] for slot in soup.select("[data-ad-slot]")]


def paragraphs_before(slot):
    return len(
        [
            p
            for p in slot.find_all_previous("p", class_=False)
            if p.find_parent(class_="story__body")
        ]
    )


def test_long_article_has_slots_after_paragraphs_3_and_8_and_at_the_end(client):
    article = make_article(body=paragraph_blocks(10))
    soup = soup_of(client, article.url)
    assert slot_keys(soup) == ["article-inline-3", "article-inline-8", "article-end"]
    inline = soup.select(".story__body [data-ad-slot]")
    assert [paragraphs_before(slot) for slot in inline] == [3, 8]
    end = soup.select_one('[data-ad-slot="article-end"]')
    assert end.find_parent(class_="story__body") is None
    assert end.find_previous_sibling(class_="story__body")


def test_short_article_skips_the_slots_it_is_too_short_for(client):
    assert slot_keys(soup_of(client, make_article(body=paragraph_blocks(8)).url)) == [
        "article-inline-3",
        "article-end",
    ]
    assert slot_keys(soup_of(client, make_article(body=paragraph_blocks(3)).url)) == [
        "article-end"
    ]


def test_disabled_placement_is_left_out(client):
    do_update_placement(placement("article-end"), enabled=False)
    article = make_article(body=paragraph_blocks(4))
    assert slot_keys(soup_of(client, article.url)) == ["article-inline-3"]


def test_home_and_section_pages_have_their_slots(client):
    section = make_section("Business")
    make_article(section)  # the lead
    make_article(section)  # under "Latest"
    home = soup_of(client, "/")
    slot = home.select_one('[data-ad-slot="home"]')
    assert slot.find_previous_sibling("section")["class"] == ["front-latest"]
    assert "ad-slot__box--728x90" in slot.select_one(".ad-slot__box")["class"]
    top = soup_of(client, section.url).select_one('[data-ad-slot="section-top"]')
    assert top.find_previous_sibling("header")["class"] == ["listing-header"]
    assert top["data-ad-section"] == str(section.pk)


def test_slot_describes_the_page_and_reserves_its_size_by_class(client):
    section = make_section("Business")
    article = make_article(section, tags=["Budget", "rain"])
    soup = soup_of(client, article.url)
    slot = soup.select_one('[data-ad-slot="article-inline-3"]')
    assert slot["data-ad-page"] == str(article.pk)
    assert slot["data-ad-section"] == str(section.pk)
    assert slot["data-ad-tags"] == "budget,rain"
    assert slot["data-ad-fill"] == "/ads/fill/"
    assert slot["data-ad-impression"] == "/ads/impression/"
    assert slot.select_one(".ad-slot__label").get_text() == "- Advertisement -"
    assert slot.select_one(".ad-slot__box")["class"] == [
        "ad-slot__box",
        "ad-slot__box--300x250",
    ]
    assert soup.find(style=True) is None
    head = soup.head
    assert head.find("script", src="/static/dateline_ads/ads.js").has_attr("defer")
    assert head.find("link", href=re.compile(r"^/ads/slots\.css\?v=\w+$"))


def test_label_is_a_setting(client, settings):
    settings.DATELINE_AD_LABEL = "Anzeige"
    soup = soup_of(client, make_article().url)
    assert soup.select_one(".ad-slot__label").get_text() == "- Anzeige -"


def test_page_is_the_same_for_every_reader_whatever_is_shown(client):
    first, second = make_campaign(), make_campaign()
    article = make_article()
    pages = {client.get(article.url, HTTP_USER_AGENT=READER).content for _ in range(4)}
    assert len(pages) == 1
    html = pages.pop().decode()
    for campaign in (first, second):
        assert campaign.creatives.get().image.file.name.split("/")[-1] not in html


def test_fallback_without_javascript_only_when_something_could_fill(client):
    article = make_article()
    assert soup_of(client, article.url).find("noscript") is None
    make_campaign(placements=["article-end"])
    soup = soup_of(client, article.url)
    fallbacks = soup.find_all("noscript")
    assert len(fallbacks) == 1
    fallback = fallbacks[0]
    assert fallback.find_previous_sibling("aside")["data-ad-slot"] == "article-end"
    query = f"?page={article.pk}&section={article.section_id}"
    assert fallback.a["href"] == f"/ads/noscript/article-end/click/{query}"
    assert fallback.a["rel"] == ["sponsored", "noopener"]
    assert fallback.img["src"] == f"/ads/noscript/article-end/{query}"
    assert fallback.select_one(".ad-slot__label").get_text() == "- Advertisement -"


def test_house_ad_gives_every_slot_a_fallback(client):
    house_ad = HouseAd.for_site(Site.objects.get(is_default_site=True))
    house_ad.image = make_image("Subscribe")
    house_ad.save()
    soup = soup_of(client, make_article(body=paragraph_blocks(4)).url)
    assert len(soup.find_all("noscript")) == 2


def test_sponsored_article_is_labelled_and_its_links_are_sponsored(client):
    article = make_article(
        body=[
            {
                "type": "paragraph",
                "value": '<p>See <a href="https://maker.example/boots">the boots</a>'
                ' and <a href="/world/">our coverage</a>.</p>',
            }
        ]
    )
    plain = soup_of(client, article.url)
    assert plain.select_one(".sponsored-notice") is None
    assert plain.select_one('a[href="https://maker.example/boots"]').get("rel") is None
    advertiser = do_create_advertiser("Maker Boots", website="https://maker.example/")
    do_sponsor_article(article, advertiser, "Paid for by Maker Boots.")
    soup = soup_of(client, article.url)
    notice = soup.select_one("article.story .sponsored-notice")
    assert notice.select_one(".sponsored-notice__label").get_text() == "Sponsored"
    assert "Paid for by Maker Boots." in notice.get_text()
    assert notice.a["href"] == "https://maker.example/"
    assert notice.a["rel"] == ["sponsored", "noopener"]
    outbound = soup.select_one('.story__body a[href="https://maker.example/boots"]')
    assert outbound["rel"] == ["sponsored"]
    assert soup.select_one('.story__body a[href="/world/"]').get("rel") is None


def test_no_third_party_request_in_pages_by_default(client):
    make_campaign()
    article = make_article()
    for url in ["/", article.url, article.get_parent().url]:
        soup = soup_of(client, url)
        requested = [
            element.get(attribute) or ""
            for tag, attribute in [("script", "src"), ("img", "src"), ("iframe", "src")]
            for element in soup.find_all(tag)
        ] + [link["href"] for link in soup.find_all("link", rel="stylesheet")]
        assert requested and not [
            address for address in requested if re.match(r"(https?:)?//", address)
        ], url
        assert not soup.select("[data-ad-consent]")


def test_google_ad_manager_needs_configuration_and_consent(client, settings):
    settings.DATELINE_AD_PROVIDER = "dateline.ads.backends.gam.GoogleAdManagerProvider"
    article = make_article()
    # Chosen but not configured: nothing changes.
    assert "data-ad-consent" not in client.get(article.url).content.decode()
    response = client.get(
        "/ads/fill/", {"slots": "article-inline-3:300x250"}, HTTP_USER_AGENT=READER
    )
    assert response.json()["slots"]["article-inline-3"] == {"kind": "none"}

    settings.DATELINE_GAM_NETWORK_CODE = "1234"
    settings.DATELINE_GAM_AD_UNITS = {"article-inline-3": "news/inline"}
    soup = soup_of(client, article.url)
    slot = soup.select_one('[data-ad-slot="article-inline-3"]')
    assert "Allow it?" in slot["data-ad-consent"]
    # The page itself never loads the network's script: ads.js does, after consent.
    assert all(
        "doubleclick" not in (s.get("src") or "") for s in soup.find_all("script")
    )
    ad = client.get(
        "/ads/fill/", {"slots": "article-inline-3:300x250"}, HTTP_USER_AGENT=READER
    ).json()["slots"]["article-inline-3"]
    assert ad == {
        "kind": "network",
        "network": "gam",
        "script": "https://securepubads.g.doubleclick.net/tag/js/gpt.js",
        "unit": "/1234/news/inline",
        "size": [300, 250],
    }
    # The outlet's own campaigns still come first.
    make_campaign()
    ad = client.get(
        "/ads/fill/", {"slots": "article-inline-3:300x250"}, HTTP_USER_AGENT=READER
    ).json()["slots"]["article-inline-3"]
    assert ad["kind"] == "image"


def test_cached_pages_follow_sponsorships_and_placements(
    client, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_PAGE_CACHE = True
    article = make_article(body=paragraph_blocks(4))
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        do_sponsor_article(article, do_create_advertiser("Maker Boots"))
    soup = soup_of(client, article.url)
    assert soup.select_one(".sponsored-notice")
    with django_capture_on_commit_callbacks(execute=True):
        do_update_placement(placement("article-end"), enabled=False)
    assert slot_keys(soup_of(client, article.url)) == ["article-inline-3"]
