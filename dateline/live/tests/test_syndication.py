"""The live page beyond its own address: JSON-LD, feeds, the news sitemap, the API."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from dateline.live.actions import do_post_entry, do_set_coverage
from dateline.live.models import Coverage, LivePage

pytestmark = pytest.mark.django_db


def json_ld(client, url, kind):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    blocks = [json.loads(s.string) for s in page.select("script[type$='ld+json']")]
    return next(block for block in blocks if block.get("@type") == kind)


def test_the_page_describes_itself_as_a_live_blog_posting(client, live_page):
    do_post_entry(live_page, title="Polls close", body="<p>Counting begins</p>")
    posting = json_ld(client, live_page.url, "LiveBlogPosting")
    assert posting["headline"] == "Election night"
    assert posting["coverageStartTime"]
    assert "coverageEndTime" not in posting
    update = posting["liveBlogUpdate"][0]
    assert update["headline"] == "Polls close"
    assert update["articleBody"] == "Counting begins"
    do_set_coverage(live_page, Coverage.ENDED)
    assert json_ld(client, live_page.url, "LiveBlogPosting")["coverageEndTime"]


def atom_updated(client, page):
    feed = BeautifulSoup(client.get("/feed/atom/").content, "xml")
    for entry in feed.find_all("entry"):
        if entry.find("link")["href"].endswith(page.url):
            return entry.find("updated").get_text()
    return None


def test_each_entry_moves_the_page_in_the_feeds(client, live_page):
    first = atom_updated(client, live_page)
    assert first is not None
    do_post_entry(
        live_page, body="<p>Update</p>", now=timezone.now() + timedelta(minutes=5)
    )
    assert atom_updated(client, live_page) > first


def test_the_page_stays_in_the_news_sitemap_while_live(client, live_page):
    LivePage.objects.filter(pk=live_page.pk).update(
        first_published_at=timezone.now() - timedelta(days=5)
    )
    assert live_page.url in client.get("/sitemap-news.xml").content.decode()
    do_set_coverage(live_page, Coverage.ENDED)
    assert client.get("/sitemap-news.xml").status_code == 404  # nothing left in it


def test_the_api_shows_the_live_page_with_its_entries(client, live_page):
    entry = do_post_entry(live_page, title="Polls close", body="<p>Counting</p>")
    do_post_entry(live_page, body="<p>Held back</p>", approved=False)
    data = client.get(f"/api/v1/live/{live_page.pk}/").json()
    assert data["title"] == "Election night" and data["coverage"] == "live"
    assert [e["id"] for e in data["entries"]] == [entry.pk]
    assert data["entries"][0]["body_html"] == "<p>Counting</p>"
    assert data["entries"][0]["url"].endswith(f"{live_page.url}#entry-{entry.pk}")
    listed = client.get("/api/v1/articles/").json()["results"]
    assert live_page.pk in [item["id"] for item in listed]


def test_the_api_answers_404_for_an_article_that_is_not_live(client):
    from dateline.testing.factories import make_article

    article = make_article()
    answer = client.get(f"/api/v1/live/{article.pk}/")
    assert answer.status_code == 404 and answer.json() == {
        "error": "No such live page."
    }
