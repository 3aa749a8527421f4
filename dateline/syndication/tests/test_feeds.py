import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from dateline.newsroom.models import ArticlePage
from dateline.testing.factories import (
    make_article,
    make_author,
    make_image,
    make_section,
    paragraph_blocks,
)

from .helpers import HOSTILE, HOSTILE_CLEAN, age, queries_for

pytestmark = pytest.mark.django_db

SCOPES = [
    "/feed/",
    "/feeds/section/world/",
    "/feeds/tag/water/",
    "/feeds/author/amina-qureshi/",
]
FORMATS = ["", "atom/", "json/"]
XML_FEEDS = [scope + fmt for scope in SCOPES for fmt in FORMATS if fmt != "json/"]
JSON_FEEDS = [scope + "json/" for scope in SCOPES]
ALL_FEEDS = XML_FEEDS + JSON_FEEDS


@pytest.fixture
def world(outlet):
    return make_section("World")


@pytest.fixture
def amina():
    return make_author("Amina Qureshi", email="amina.private@newsroom.example")


@pytest.fixture
def story(world, amina):
    return make_article(
        world,
        title="Capital approves new water plan",
        standfirst="The council votes for new pipes.",
        authors=[amina, make_author("Bilal Khan", email="bilal@newsroom.example")],
        tags=["water", "islamabad"],
        lead_image=make_image("Pipes"),
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if url.endswith("json/"):
        return response, json.loads(response.content)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return response, feed


def titles(client, url):
    _, feed = parse(client, url)
    return [
        item["title"]
        for item in (feed["items"] if url.endswith("json/") else feed.entries)
    ]


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_feeds_carry_only_what_readers_may_see(client, story, world, amina, url):
    make_article(
        world, title="Draft story", authors=[amina], tags=["water"], publish=False
    )
    make_article(
        world,
        title="Embargoed story",
        authors=[amina],
        tags=["water"],
        embargo_until=timezone.now() + timedelta(hours=6),
    )
    past_embargo = make_article(
        world,
        title="Embargo lifted",
        authors=[amina],
        tags=["water"],
        embargo_until=timezone.now() - timedelta(minutes=1),
    )
    age(past_embargo, hours=1)
    age(make_article(make_section("Business"), title="Elsewhere"), hours=2)

    shown = titles(client, url)
    assert shown[:2] == ["Capital approves new water plan", "Embargo lifted"]
    assert "Draft story" not in shown and "Embargoed story" not in shown
    assert ("Elsewhere" in shown) == (url.startswith("/feed/"))


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_feeds_never_show_an_email_address(client, story, url):
    body = client.get(url).content.decode()
    assert "@" not in body.replace("@context", "")
    assert "newsroom.example" not in body


def test_rss_items_have_names_categories_and_an_image_enclosure(client, story):
    response, feed = parse(client, "/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.title == "The Dateline Gazette"
    entry = feed.entries[0]
    assert entry.link == story.full_url
    assert entry.summary == "The council votes for new pipes."
    assert entry.author == "Amina Qureshi and Bilal Khan"
    assert [t.term for t in entry.tags] == ["World", "islamabad", "water"]
    rendition = story.lead_image.get_rendition("fill-1200x675")
    (enclosure,) = entry.enclosures
    assert enclosure.href == "http://localhost" + rendition.url
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == rendition.file.size > 0
    xml = response.content.decode()
    assert "<author>" not in xml  # RSS's <author> is an e-mail address
    assert "<dc:creator" in xml


def test_atom_entries_name_each_author_with_their_page(client, story):
    response, feed = parse(client, "/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    entry = feed.entries[0]
    assert [(a.name, a.href) for a in entry.authors] == [
        ("Amina Qureshi", "http://localhost/authors/amina-qureshi/"),
        ("Bilal Khan", "http://localhost/authors/bilal-khan/"),
    ]
    assert "<email>" not in response.content.decode()
    assert entry.id.startswith("tag:localhost,")
    assert entry.published_parsed and entry.updated_parsed
    assert [link.rel for link in entry.links] == ["alternate", "enclosure"]


@pytest.mark.parametrize("url", JSON_FEEDS)
def test_json_feeds_follow_json_feed_1_1(client, story, url):
    response, feed = parse(client, url)
    assert response["Content-Type"].startswith("application/feed+json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["home_page_url"].startswith("http://localhost/")
    assert feed["feed_url"].endswith(url)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_html" in item or "content_text" in item
    item = feed["items"][0]
    assert item["content_text"] == item["summary"] == "The council votes for new pipes."
    assert item["image"].startswith("http://localhost/media/")
    assert item["authors"] == [
        {"name": "Amina Qureshi", "url": "http://localhost/authors/amina-qureshi/"},
        {"name": "Bilal Khan", "url": "http://localhost/authors/bilal-khan/"},
    ]
    assert item["tags"] == ["World", "islamabad", "water"]
    assert item["language"] == "en"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", item["date_published"])


@override_settings(DATELINE_FEED_FULL_TEXT=True)
def test_full_text_feeds_carry_the_body_with_its_dateline(client, story):
    _, rss = parse(client, "/feed/")
    html = rss.entries[0].summary
    assert html.startswith(
        '<p><span class="dateline">Islamabad (The Dateline Gazette)</span> – council'
    )
    assert html.count("<p>") == 4
    _, feed = parse(client, "/feed/json/")
    item = feed["items"][0]
    assert item["content_html"].startswith('<p><span class="dateline">')
    assert item["summary"] == "The council votes for new pipes."


def test_summary_feeds_carry_only_the_standfirst(client, story):
    _, rss = parse(client, "/feed/")
    assert rss.entries[0].summary == "The council votes for new pipes."
    assert "council water budget" not in client.get("/feed/json/").content.decode()


@override_settings(DATELINE_FEED_ITEMS=3)
def test_feeds_carry_the_latest_n_articles_newest_first(client, world):
    for hours in range(5):
        age(make_article(world, title=f"{hours} hours old"), hours=hours)
    for url in ["/feed/", "/feed/atom/", "/feed/json/"]:
        assert titles(client, url) == ["0 hours old", "1 hours old", "2 hours old"]


@pytest.mark.parametrize("url", ALL_FEEDS)
@pytest.mark.parametrize("full_text", [False, True])
def test_hostile_text_keeps_every_feed_well_formed(
    client, world, amina, url, full_text, settings
):
    settings.DATELINE_FEED_FULL_TEXT = full_text
    make_article(
        world,
        title=HOSTILE,
        standfirst=HOSTILE,
        authors=[amina],
        tags=["water"],
        dateline_place=HOSTILE,
        body=[{"type": "paragraph", "value": f"<p>{HOSTILE}</p>"}],
    )
    response, feed = parse(client, url)
    if url.endswith("json/"):
        # JSON Feed titles and content_text are plain text; only HTML is sanitised.
        item = feed["items"][0]
        assert item["title"] == HOSTILE_CLEAN
        assert "<script" not in item.get("content_html", "")
    else:
        raw = response.content.decode()
        assert "<script>" not in raw and "\x0b" not in raw
        entry = feed.entries[0]
        assert entry.title == HOSTILE_CLEAN
        assert "🗞️" in entry.summary and "\u200fمرحبا\u200f" in entry.summary
        assert "<script" not in entry.summary


def test_unknown_section_tag_or_author_is_404(client, story):
    for url in [
        "/feeds/section/nowhere/",
        "/feeds/tag/nothing/atom/",
        "/feeds/author/nobody/json/",
    ]:
        assert client.get(url).status_code == 404


def test_unpublished_section_has_no_feed(client, story):
    section = make_section("Hidden")
    section.unpublish()
    assert client.get("/feeds/section/hidden/").status_code == 404


def test_section_feed_includes_its_subsections(client, world):
    child = world.add_child(instance=type(world)(title="Asia", slug="asia"))
    child.save_revision().publish()
    make_article(child, title="From Asia")
    assert titles(client, "/feeds/section/world/") == ["From Asia"]
    assert titles(client, "/feeds/section/asia/") == ["From Asia"]


def alternates(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return {
        link["href"]: (link["type"], link["title"])
        for link in soup.head.find_all("link", rel="alternate")
    }


def test_every_page_links_the_site_feeds_and_its_own(client, story):
    site = {
        "/feed/": ("application/rss+xml", "The Dateline Gazette"),
        "/feed/atom/": ("application/atom+xml", "The Dateline Gazette (Atom)"),
        "/feed/json/": ("application/feed+json", "The Dateline Gazette (JSON Feed)"),
    }
    pages = {
        "/": [],
        story.url: [f"/comments/{story.pk}/feed/"],
        "/world/": SCOPES[1:2],
        "/tags/water/": SCOPES[2:3],
        "/authors/amina-qureshi/": SCOPES[3:4],
        "/no-such-page/": [],
    }
    for page, own in pages.items():
        links = alternates(client, page)
        assert {href: links[href] for href in site} == site, page
        expected = set(site) | {scope + fmt for scope in own for fmt in FORMATS}
        if own and own[0].startswith("/comments/"):
            expected = set(site) | set(own)
        assert set(links) == expected, page
    for href in alternates(client, "/world/"):
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", *JSON_FEEDS, *SCOPES])
@pytest.mark.parametrize("full_text", [False, True])
def test_feed_queries_do_not_grow_with_articles(
    client, world, amina, url, full_text, settings, django_assert_num_queries
):
    settings.DATELINE_FEED_FULL_TEXT = full_text

    def add(n):
        for _ in range(n):
            make_article(
                world,
                authors=[amina, make_author()],
                tags=["water", "rain"],
                lead_image=make_image(),
                body=paragraph_blocks(2),
            )

    add(2)
    baseline = queries_for(client, url)
    add(10)
    client.get(url)
    with django_assert_num_queries(baseline):
        client.get(url)
    assert ArticlePage.objects.count() == 12


def feed_head(client, url):
    """A feed's own title and description, as a reader lists the subscription."""
    if url.endswith("json/"):
        feed = json.loads(client.get(url).content)
        return feed["title"], feed["description"]
    feed = feedparser.parse(client.get(url).content).feed
    return feed.title, feed.get("subtitle") or feed.get("description")


def test_every_feed_is_titled_with_the_outlets_name(client, outlet, story):
    outlet.name, outlet.tagline = "The Example Times", ""
    outlet.save()
    for url in [*ALL_FEEDS, f"/comments/{story.pk}/feed/"]:
        title, description = feed_head(client, url)
        assert title.endswith("The Example Times"), (url, title)
        assert "The Example Times" in description, (url, description)
        assert "Dateline" not in title + description, url
    # A page's feed links are titled as the feeds title themselves.
    for page, url in [("/world/", SCOPES[1]), ("/authors/amina-qureshi/", SCOPES[3])]:
        assert alternates(client, page)[url][1] == feed_head(client, url)[0]


def test_each_entry_says_its_own_language_in_every_format(client, world, story):
    urdu = make_article(world, title="لائبریری دوبارہ کھل گئی", language="ur")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    atom = ET.fromstring(client.get("/feed/atom/").content)
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert [entry.get(xml_lang) for entry in entries] == ["ur", "en"]
    parsed = feedparser.parse(client.get("/feed/atom/").content)
    assert parsed.entries[0].title_detail.language == "ur"
    rss = ET.fromstring(client.get("/feed/").content).findall("channel/item")
    dc_language = "{http://purl.org/dc/elements/1.1/}language"
    assert [item.findtext(dc_language) for item in rss] == ["ur", "en"]
    items = json.loads(client.get("/feed/json/").content)["items"]
    assert [(item["title"], item["language"]) for item in items] == [
        (urdu.title, "ur"),
        (story.title, "en"),
    ]


def test_a_tag_only_on_embargoed_stories_is_404_until_one_is_released(client, world):
    secret = make_author("Secret Source")
    embargoed = make_article(
        world,
        title="Merger of Acme and Bigco",
        authors=[secret],
        tags=["acme-bigco-merger"],
        embargo_until=timezone.now() + timedelta(hours=6),
    )
    tag_urls = ["/tags/acme-bigco-merger/"] + [
        f"/feeds/tag/acme-bigco-merger/{fmt}" for fmt in FORMATS
    ]
    for url in tag_urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"acme-bigco-merger" not in response.content, url
    # An author or section listing stays, without the story's title.
    for url in [
        "/authors/secret-source/",
        *[f"/feeds/author/secret-source/{fmt}" for fmt in FORMATS],
        *[f"/feeds/section/world/{fmt}" for fmt in FORMATS],
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Merger of Acme" not in response.content, url
    for url in ["/sitemap-tags.xml", "/sitemap-authors.xml"]:
        body = client.get(url).content
        assert b"acme-bigco-merger" not in body and b"secret-source" not in body

    ArticlePage.objects.filter(pk=embargoed.pk).update(
        embargo_until=timezone.now() - timedelta(minutes=1)
    )
    cache.clear()  # the embargo ended without a publish: no content change to see
    for url in tag_urls:
        assert client.get(url).status_code == 200, url
    assert b"acme-bigco-merger" in client.get("/sitemap-tags.xml").content
