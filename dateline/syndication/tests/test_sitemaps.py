import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone

from dateline.newsroom.models import ArticlePage
from dateline.syndication.models import NoIndexPage
from dateline.testing.factories import (
    home_page,
    make_article,
    make_author,
    make_section,
    paragraph_blocks,
)

from .helpers import HOSTILE, HOSTILE_CLEAN, age, queries_for, recount_months

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
W3C_DATETIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def index_locations(client):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]


def locations(client, url):
    return [loc.text for loc in xml(client, url).findall("sm:url/sm:loc", NS)]


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def first_published(article, year, month, day=15):
    when = datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=when, last_published_at=when
    )
    recount_months()


@pytest.fixture
def world(outlet):
    return make_section("World")


def test_index_lists_a_sitemap_per_month_then_sections_authors_and_tags(client, world):
    october = make_article(world, title="October story", tags=["water"])
    november = make_article(world, title="November story")
    first_published(october, 2026, 10)
    first_published(november, 2026, 11, 1)

    listed = [path_of(url) for url in index_locations(client)]
    assert listed == [
        "/sitemap-articles-2026-11.xml",
        "/sitemap-articles-2026-10.xml",
        "/sitemap-sections.xml",
        "/sitemap-authors.xml",
        "/sitemap-tags.xml",
    ]
    root = xml(client, "/sitemap.xml")
    assert all(m.text for m in root.findall("sm:sitemap/sm:lastmod", NS))
    assert locations(client, "/sitemap-articles-2026-10.xml") == [october.full_url]
    assert locations(client, "/sitemap-articles-2026-11.xml") == [november.full_url]
    for url in listed:
        assert xml(client, url) is not None


def test_article_sitemaps_leave_out_drafts_embargoes_and_hidden_pages(client, world):
    shown = make_article(world, title="Shown")
    make_article(world, title="Draft", publish=False)
    make_article(
        world, title="Embargoed", embargo_until=timezone.now() + timedelta(days=1)
    )
    hidden = make_article(world, title="Hidden")
    NoIndexPage.objects.create(page=hidden, reason="Legal hold")

    month = f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml"
    assert locations(client, month) == [shown.full_url]
    urlset = xml(client, month).find("sm:url", NS)
    assert urlset.find("sm:lastmod", NS).text == f"{timezone.localtime():%Y-%m-%d}"
    assert all(hidden.url not in path_of(url) for url in index_locations(client))


@override_settings(DATELINE_SITEMAP_LIMIT=2)
def test_a_month_beyond_the_limit_is_split_into_pages(client, world):
    for _ in range(3):
        make_article(world)
    month = f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml"
    listed = [path_of(url) for url in index_locations(client)]
    assert listed[:2] == [month, month + "?p=2"]
    assert len(locations(client, month)) == 2
    assert len(locations(client, month + "?p=2")) == 1
    assert client.get(month + "?p=3").status_code == 404


def test_sections_authors_and_tags_sitemaps(client, world):
    writer = make_author("Sana Mir")
    make_author("Never Published")
    make_article(world, authors=[writer], tags=["water"], publish=True)
    make_article(
        world,
        title="Draft",
        authors=[make_author("Only Drafts")],
        tags=["secret"],
        publish=False,
    )
    make_article(
        world,
        authors=[make_author("Under Embargo")],
        tags=["embargoed"],
        embargo_until=timezone.now() + timedelta(hours=3),
    )
    hidden_section = make_section("Archive")
    NoIndexPage.objects.create(page=hidden_section)

    assert locations(client, "/sitemap-sections.xml") == [
        "http://localhost/",
        "http://localhost/world/",
    ]
    assert locations(client, "/sitemap-authors.xml") == [
        "http://localhost/authors/sana-mir/"
    ]
    assert locations(client, "/sitemap-tags.xml") == ["http://localhost/tags/water/"]
    tag_entry = xml(client, "/sitemap-tags.xml").find("sm:url", NS)
    assert tag_entry.find("sm:lastmod", NS).text == f"{timezone.localtime():%Y-%m-%d}"
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-articles-2026-13.xml").status_code == 404


def test_news_sitemap_lists_the_last_two_days_for_google_news(client, world, outlet):
    fresh = make_article(world, title=HOSTILE)
    urdu = make_article(world, title="شہر کی لائبریری دوبارہ کھل گئی", language="ur")
    age(urdu, hours=47)
    age(make_article(world, title="Too old"), hours=49)
    make_article(world, title="Draft", publish=False)
    make_article(
        world, title="Embargoed", embargo_until=timezone.now() + timedelta(hours=2)
    )
    hidden = make_article(world, title="Hidden")
    NoIndexPage.objects.create(page=hidden)

    response = client.get("/sitemap-news.xml")
    body = response.content.decode()
    assert 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in body
    assert "<script>" not in body
    root = ET.fromstring(response.content)
    entries = root.findall("sm:url", NS)
    assert [e.find("sm:loc", NS).text for e in entries] == [
        fresh.full_url,
        ArticlePage.objects.get(pk=urdu.pk).full_url,
    ]
    news = [e.find("news:news", NS) for e in entries]
    assert [n.find("news:publication/news:name", NS).text for n in news] == [
        "The Dateline Gazette"
    ] * 2
    assert [n.find("news:publication/news:language", NS).text for n in news] == [
        "en",
        "ur",
    ]
    assert [n.find("news:title", NS).text for n in news] == [
        HOSTILE_CLEAN,
        "شہر کی لائبریری دوبارہ کھل گئی",
    ]
    for n in news:
        assert re.fullmatch(W3C_DATETIME, n.find("news:publication_date", NS).text)


@override_settings(TIME_ZONE="Asia/Karachi")
def test_news_dates_carry_the_outlet_offset(client, world):
    make_article(world)
    root = xml(client, "/sitemap-news.xml")
    date = root.find("sm:url/news:news/news:publication_date", NS).text
    assert date.endswith("+05:00")


def test_robots_txt_points_at_the_index_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /comments/" in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        "Sitemap: http://localhost/sitemap.xml"
    ]
    assert "Disallow: /" not in lines


def robots_meta(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [m["content"] for m in soup.head.find_all("meta", attrs={"name": "robots"})]


def test_hidden_pages_ask_search_engines_not_to_index_them(client, world):
    article = make_article(world, title="Hidden")
    other = make_article(world, title="Shown")
    assert robots_meta(client, article.url) == []
    entry = NoIndexPage.objects.create(page=article)
    NoIndexPage.objects.create(page=world)
    assert robots_meta(client, article.url) == ["noindex"]
    assert robots_meta(client, "/world/") == ["noindex"]
    assert robots_meta(client, other.url) == []
    assert robots_meta(client, "/") == []
    month = f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml"
    assert locations(client, month) == [other.full_url]
    entry.delete()
    assert robots_meta(client, article.url) == []
    assert article.full_url in locations(client, month)


def test_hidden_pages_are_a_snippet_editors_can_manage(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("boss", password="pw"))
    url = "/admin/snippets/dateline_syndication/noindexpage/"
    assert client.get(url).status_code == 200
    response = client.post(
        url + "add/", {"page": home_page().pk, "reason": "Staging copy"}
    )
    assert response.status_code == 302
    assert NoIndexPage.objects.get().page_id == home_page().pk


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        "/sitemap-articles-{month}.xml",
        "/sitemap-sections.xml",
        "/sitemap-authors.xml",
        "/sitemap-tags.xml",
        "/sitemap-news.xml",
    ],
)
def test_sitemap_queries_do_not_grow_with_articles(
    client, world, url, django_assert_num_queries
):
    url = url.format(month=f"{timezone.localtime():%Y-%m}")
    NoIndexPage.objects.create(page=make_article(world))

    def add(n):
        for _ in range(n):
            make_article(
                world,
                authors=[make_author()],
                tags=[f"tag-{ArticlePage.objects.count()}"],
                body=paragraph_blocks(1),
            )

    add(2)
    baseline = queries_for(client, url)
    add(10)
    client.get(url)
    with django_assert_num_queries(baseline):
        client.get(url)


def test_news_sitemap_is_listed_and_served_only_while_it_has_a_story(client, world):
    # The sitemaps.org schema requires at least one <url> in a <urlset>.
    age(make_article(world, title="Old news"), hours=72)
    assert client.get("/sitemap-news.xml").status_code == 404
    assert not [url for url in index_locations(client) if "news" in url]
    assert "news" not in client.get("/robots.txt").content.decode()

    fresh = make_article(world, title="Fresh")
    assert "http://localhost/sitemap-news.xml" in index_locations(client)
    assert locations(client, "/sitemap-news.xml") == [fresh.full_url]
    for url in index_locations(client):
        root = xml(client, path_of(url))
        assert root.findall("sm:url", NS), url


def lastmods(client, url):
    root = xml(client, url)
    return {
        path_of(entry.find("sm:loc", NS).text): entry.find("sm:lastmod", NS).text
        for entry in root.findall("sm:url", NS)
    }


def index_lastmods(client):
    root = xml(client, "/sitemap.xml")
    return {
        path_of(entry.find("sm:loc", NS).text): entry.findtext("sm:lastmod", None, NS)
        for entry in root.findall("sm:sitemap", NS)
    }


def test_a_sections_lastmod_moves_when_a_story_is_published_in_it(client, world):
    asia = world.add_child(instance=type(world)(title="Asia", slug="asia"))
    asia.save_revision().publish()
    long_ago = timezone.now() - timedelta(days=30)
    type(world).objects.filter(pk__in=[world.pk, asia.pk]).update(
        last_published_at=long_ago
    )
    sport = make_section("Sport")
    type(world).objects.filter(pk=sport.pk).update(last_published_at=long_ago)
    home = type(home_page()).objects.filter(pk=home_page().pk)
    home.update(last_published_at=long_ago)
    before = lastmods(client, "/sitemap-sections.xml")
    assert set(before.values()) == {f"{timezone.localtime(long_ago):%Y-%m-%d}"}

    make_article(asia, title="From Asia")
    after = lastmods(client, "/sitemap-sections.xml")
    today = f"{timezone.localtime():%Y-%m-%d}"
    # The section, its parent section and the home page list the story; Sport not.
    assert after["/world/asia/"] == after["/world/"] == after["/"] == today
    assert after["/sport/"] == before["/sport/"]
    assert index_lastmods(client)["/sitemap-sections.xml"].startswith(today)
