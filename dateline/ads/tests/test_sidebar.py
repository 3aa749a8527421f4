"""Sidebar slots on article and section pages: where they are, the box and the column
they reserve, their label, and that the page stays the same for every reader."""

import re

import pytest

from dateline.ads.actions import do_create_placement, do_update_placement
from dateline.testing import html
from dateline.testing.factories import make_article, make_section, paragraph_blocks

from .helpers import READER, fill, make_campaign, make_creative, placement

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    return html.soup_of(client, url, user_agent=READER)


def sidebar_placement(key="sidebar", size=(300, 600), **fields):
    return do_create_placement(key, "sidebar", *size, name="Sidebar", **fields)


def stylesheet(client, soup):
    href = soup.head.find("link", href=re.compile(r"^/ads/slots\.css"))["href"]
    response = client.get(href)
    assert response.status_code == 200
    return response.content.decode()


def test_no_sidebar_placement_no_sidebar(client):
    section = make_section("Business")
    article = make_article(section)
    for url in (article.url, section.url):
        soup = soup_of(client, url)
        assert soup.select_one(".ad-sidebar") is None
        assert not soup.select('[data-ad-slot="sidebar"]')


def test_article_has_its_sidebar_beside_the_story(client):
    sidebar_placement()
    section = make_section("Business")
    article = make_article(section, body=paragraph_blocks(10), tags=["Budget"])
    soup = soup_of(client, article.url)
    slot = soup.select_one('[data-ad-slot="sidebar"]')
    column = slot.find_parent(class_="ad-sidebar")
    assert column.find_previous_sibling("article")["class"] == ["story"]
    assert column.parent["class"] == ["with-sidebar"]
    assert slot.find_parent("article") is None
    assert slot.select_one(".ad-slot__label").get_text() == "- Advertisement -"
    assert slot["aria-label"] == "Advertisement 4"
    assert slot.select_one(".ad-slot__box")["class"] == [
        "ad-slot__box",
        "ad-slot__box--300x600",
    ]
    assert slot["data-ad-page"] == str(article.pk)
    assert slot["data-ad-section"] == str(section.pk)
    assert slot["data-ad-tags"] == "budget"
    # The story's own slots are still where they were.
    assert [s["data-ad-slot"] for s in soup.select("[data-ad-slot]")] == [
        "article-inline-3",
        "article-inline-8",
        "article-end",
        "sidebar",
    ]
    assert soup.find(style=True) is None


def test_section_page_has_its_sidebar_beside_the_cards(client):
    sidebar_placement()
    section = make_section("Business")
    make_article(section, title="Rates hold")
    soup = soup_of(client, section.url)
    slot = soup.select_one('[data-ad-slot="sidebar"]')
    column = slot.find_parent(class_="ad-sidebar")
    listing = column.find_previous_sibling(class_="listing")
    assert listing.select_one(".card__title").get_text(strip=True) == "Rates hold"
    assert slot["data-ad-section"] == str(section.pk)
    assert slot.select_one(".ad-slot__label").get_text() == "- Advertisement -"
    # The section's top slot stays under its heading, outside the columns.
    top = soup.select_one('[data-ad-slot="section-top"]')
    assert top.find_previous_sibling("header")["class"] == ["listing-header"]
    assert top.find_parent(class_="with-sidebar") is None


def test_sidebar_reserves_its_box_and_its_column_in_the_stylesheet(client):
    sidebar_placement(small_size=(300, 250))
    sidebar_placement("sidebar-narrow", (160, 600))
    soup = soup_of(client, make_article().url)
    css = stylesheet(client, soup)
    assert ".ad-slot__box--300x600 { width: 300px; height: 600px; }" in css
    assert ".ad-slot__box--160x600 { width: 160px; height: 600px; }" in css
    assert ".ad-slot--sidebar .ad-slot__box { width: 300px; height: 250px; }" in css
    # The column is as wide as the widest sidebar slot, slot or no slot.
    assert ".ad-sidebar { flex: 0 0 300px; }" in css
    assert [s["data-ad-slot"] for s in soup.select(".ad-sidebar [data-ad-slot]")] == [
        "sidebar",
        "sidebar-narrow",
    ]


def test_stylesheet_version_moves_when_a_placement_becomes_a_sidebar(client):
    article = make_article()
    before = soup_of(client, article.url).head.find("link", href=re.compile("slots"))
    do_update_placement(placement("article-end"), kind="sidebar")
    soup = soup_of(client, article.url)
    after = soup.head.find("link", href=re.compile("slots"))
    assert before["href"] != after["href"]
    assert soup.select_one('.ad-sidebar [data-ad-slot="article-end"]')
    assert ".ad-sidebar { flex: 0 0 300px; }" in stylesheet(client, soup)


def test_disabled_sidebar_placement_leaves_no_column(client):
    placement = sidebar_placement()
    do_update_placement(placement, enabled=False)
    soup = soup_of(client, make_article().url)
    assert soup.select_one(".ad-sidebar") is None


def test_sidebar_is_filled_per_view_and_the_page_never_varies(client):
    sidebar_placement()
    first = make_campaign(placements=["sidebar"], creatives=0)
    second = make_campaign(placements=["sidebar"], creatives=0)
    for campaign in (first, second):
        make_creative(campaign, kind="text", headline=f"{campaign.name} offer")
    section = make_section("Business")
    article = make_article(section)
    for url in (article.url, section.url):
        pages = {client.get(url, HTTP_USER_AGENT=READER).content for _ in range(4)}
        assert len(pages) == 1, url
        html = pages.pop().decode()
        assert "offer" not in html
    shown = {
        fill(client, "sidebar:300x600", page=article.pk)["sidebar"]["headline"]
        for _ in range(4)
    }
    assert shown == {f"{first.name} offer", f"{second.name} offer"}


def test_empty_sidebar_fill_says_none(client):
    sidebar_placement()
    make_campaign(placements=["article-inline-3"])
    assert fill(client, "sidebar:300x600") == {"sidebar": {"kind": "none"}}


def test_sidebar_fallback_without_javascript_only_when_something_could_fill(client):
    sidebar_placement()
    section = make_section("Business")
    assert soup_of(client, section.url).select_one(".ad-sidebar noscript") is None
    make_campaign(placements=["sidebar"])
    fallback = soup_of(client, section.url).select_one(".ad-sidebar noscript")
    query = f"page={section.pk}&section={section.pk}"
    assert fallback.img["src"] == f"/ads/noscript/sidebar/?{query}"
    assert fallback.img["width"] == "300" and fallback.img["height"] == "600"
    assert fallback.select_one(".ad-slot__label").get_text() == "- Advertisement -"
