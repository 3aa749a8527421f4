"""A sponsored article says so on its card in every listing, at no query per card."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from dateline.ads.actions import do_create_advertiser, do_sponsor_article
from dateline.ads.models import SponsoredArticle
from dateline.newsroom.models import TopicPage
from dateline.testing.factories import (
    home_page,
    make_article,
    make_author,
    make_section,
    paragraph_blocks,
)

pytestmark = pytest.mark.django_db

LISTINGS = ["/", "/world/", "/tags/news/", "/monsoon/", "/authors/a-writer/"]


@pytest.fixture
def world():
    section = make_section("World")
    author = make_author("A Writer")
    make_article(section, title="First story", authors=[author], tags=["news"])
    topic = TopicPage(
        title="Monsoon 2026", slug="monsoon", tag=Tag.objects.get(name="news")
    )
    home_page().add_child(instance=topic)
    topic.save_revision().publish()
    return section, author


def add_articles(world, count, *, sponsor=None):
    section, author = world
    articles = [
        make_article(
            section,
            title=f"Story {sponsor.name if sponsor else 'plain'} {n}",
            authors=[author, make_author()],
            tags=["news"],
            body=paragraph_blocks(2),
        )
        for n in range(count)
    ]
    for article in articles if sponsor else ():
        do_sponsor_article(article, sponsor)
    return articles


def cards(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        card.select_one(".card__title").get_text(strip=True): card
        for card in soup.select("article.card")
    }


def label(card):
    found = card.select_one(".card__sponsored")
    return found.get_text() if found else None


@pytest.mark.parametrize("url", LISTINGS)
def test_sponsored_card_is_labelled_in_every_listing(client, world, url):
    (sponsored,) = add_articles(world, 1, sponsor=do_create_advertiser("Maker"))
    shown = cards(client, url)
    assert label(shown[sponsored.title]) == "Sponsored"
    assert label(shown["First story"]) is None
    # Above the headline, where a reader meets it before the story.
    title = shown[sponsored.title].select_one(".card__title")
    assert title.find_previous_sibling(class_="card__sponsored")


def test_label_is_the_setting_and_is_escaped(client, world, settings):
    settings.DATELINE_AD_SPONSORED_LABEL = "<b>Anzeige</b>"
    (sponsored,) = add_articles(world, 1, sponsor=do_create_advertiser("Maker"))
    html = client.get("/world/").content.decode()
    assert '<p class="card__sponsored">&lt;b&gt;Anzeige&lt;/b&gt;</p>' in html
    assert label(cards(client, "/world/")[sponsored.title]) == "<b>Anzeige</b>"


def test_card_loses_the_label_when_the_sponsorship_goes(client, world):
    (article,) = add_articles(world, 1, sponsor=do_create_advertiser("Maker"))
    assert label(cards(client, "/")[article.title]) == "Sponsored"
    SponsoredArticle.objects.get(page=article).delete()
    assert label(cards(client, "/")[article.title]) is None


def queries(client, url):
    client.get(url)  # warm: the inventory after a change, renditions, site
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", LISTINGS)
def test_sponsored_cards_add_no_query(client, world, url, django_assert_num_queries):
    add_articles(world, 2, sponsor=do_create_advertiser("First"))
    baseline = queries(client, url)
    add_articles(world, 6, sponsor=do_create_advertiser("Second"))
    client.get(url)
    with django_assert_num_queries(baseline):
        response = client.get(url)
    labelled = BeautifulSoup(response.content, "html.parser").select(".card__sponsored")
    assert len(labelled) >= 3
