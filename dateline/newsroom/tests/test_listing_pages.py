from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone

from dateline.newsroom.models import ArticlePage, HomePage
from dateline.testing.factories import (
    home_page,
    make_article,
    make_author,
    make_section,
    paragraph_blocks,
)

pytestmark = pytest.mark.django_db


def titles(response, selector=".card__title a"):
    assert response.status_code == 200
    return [
        a.get_text()
        for a in BeautifulSoup(response.content, "html.parser").select(selector)
    ]


def age(article, hours):
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(hours=hours)
    )


def test_home_page_leads_with_the_chosen_story_then_the_latest(client):
    section = make_section("World")
    older = make_article(section, title="Older story")
    newer = make_article(section, title="Newer story")
    chosen = make_article(section, title="Chosen lead")
    age(older, 3), age(newer, 1), age(chosen, 10)
    assert titles(client.get("/"), ".card--lead .card__title a") == ["Newer story"]

    home = HomePage.objects.get(pk=home_page().pk)
    home.lead_story = chosen
    home.save_revision().publish()
    response = client.get("/")
    assert titles(response, ".card--lead .card__title a") == ["Chosen lead"]
    assert titles(response, ".front-latest .card__title a") == [
        "Newer story",
        "Older story",
    ]
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text() for a in soup.select(".section-nav a")] == ["World"]


def test_home_page_without_articles_says_so_without_an_empty_lead(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(".front-empty h2").get_text() == "No stories published yet"
    assert not soup.select(".card, .front-lead, .front-latest")


@override_settings(DATELINE_LISTING_PAGE_SIZE=2)
def test_section_page_lists_its_articles_newest_first_with_pagination(client):
    world, business = make_section("World"), make_section("Business")
    stories = [make_article(world, title=f"World {i}") for i in range(3)]
    for hours, story in zip([3, 2, 1], stories, strict=True):
        age(story, hours)
    make_article(business, title="Business story")
    assert titles(client.get("/world/")) == ["World 2", "World 1"]
    assert titles(client.get("/world/?page=2")) == ["World 0"]
    assert titles(client.get("/world/?page=abc")) == ["World 2", "World 1"]
    assert titles(client.get("/world/?page=-3")) == ["World 2", "World 1"]
    first = BeautifulSoup(client.get("/world/").content, "html.parser")
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    assert not first.select(".pagination a[rel=prev]")
    assert first.select_one(".pagination span").get_text() == "Page 1"
    last = BeautifulSoup(client.get("/world/?page=2").content, "html.parser")
    assert last.select_one(".pagination a[rel=prev]")["href"] == "?page=1"
    assert not last.select(".pagination a[rel=next]")
    # Past the last page there is nothing to list: not found, not the last page
    # again (the listing is never counted, so there is no last page to fall to).
    assert client.get("/world/?page=3").status_code == 404
    assert client.get("/world/?page=99").status_code == 404


@override_settings(DATELINE_LISTING_PAGE_SIZE=1, DATELINE_LISTING_MAX_PAGE=2)
def test_listing_pages_are_not_read_deeper_than_the_bound(client):
    world = make_section("World")
    for i in range(3):
        make_article(world, title=f"World {i}")
    assert client.get("/world/?page=2").status_code == 200
    assert client.get("/world/?page=3").status_code == 404
    assert client.get("/world/?page=10000000000").status_code == 404


def test_author_page_shows_profile_and_their_articles_never_their_email(client):
    author = make_author(
        "Sana Mir",
        job_title="Climate correspondent",
        bio="Covers glaciers.",
        email="sana.private@newsroom.example",
    )
    make_article(title="Glacier survey", authors=[author])
    make_article(title="Someone else's story")
    response = client.get("/authors/sana-mir/")
    assert titles(response) == ["Glacier survey"]
    html = response.content.decode()
    assert "Climate correspondent" in html and "Covers glaciers." in html
    assert "sana.private" not in html
    assert client.get("/authors/nobody/").status_code == 404
    assert "Sana Mir" in client.get("/authors/").content.decode()


def test_tag_page_lists_tagged_articles(client):
    make_article(title="Water plan", tags=["water"])
    make_article(title="Cricket ground", tags=["sport"])
    assert titles(client.get("/tags/water/")) == ["Water plan"]
    assert client.get("/tags/unknown/").status_code == 404


@pytest.mark.parametrize("walk_from", [2, 1000])
@override_settings(DATELINE_LISTING_PAGE_SIZE=2)
def test_tag_and_author_listings_read_the_same_few_or_many(
    client, monkeypatch, walk_from
):
    """A big tag's or author's listing is read newest first off the index, a small
    one through its links: the reader sees the same pages either way."""
    from dateline.newsroom import queries

    monkeypatch.setattr(queries, "INDEX_WALK_FROM", walk_from)
    writer = make_author("Sana Mir")
    stories = [
        make_article(title=f"Water {i}", tags=["water"], authors=[writer])
        for i in range(3)
    ]
    for hours, story in zip([3, 2, 1], stories, strict=True):
        age(story, hours)
    make_article(title="Other", tags=["sport"])
    make_article(title="Draft", tags=["water"], authors=[writer], publish=False)
    later = timezone.now() + timedelta(days=1)
    embargoed = make_article(title="Embargoed", tags=["water"], authors=[writer])
    ArticlePage.objects.filter(pk=embargoed.pk).update(embargo_until=later)
    for path in ("/tags/water/", "/authors/sana-mir/"):
        assert titles(client.get(path)) == ["Water 2", "Water 1"]
        assert titles(client.get(path + "?page=2")) == ["Water 0"]
        assert client.get(path + "?page=3").status_code == 404


def test_listing_cards_show_byline_date_and_reading_time(client):
    make_article(
        title="Budget day",
        authors=[make_author("Omar Z")],
        body=paragraph_blocks(5, 100),
    )
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    meta = soup.select_one(".card__meta").get_text(" ", strip=True)
    assert "Omar Z" in meta and "3 Min Read" in meta
    assert soup.select_one(".card__meta time")["datetime"]


@pytest.mark.parametrize("path", ["/", "/world/", "/authors/a-writer/", "/tags/news/"])
def test_listing_queries_do_not_grow_with_articles(
    client, django_assert_num_queries, path
):
    section = make_section("World")
    author = make_author("A Writer")

    def add(n):
        for _ in range(n):
            make_article(
                section,
                authors=[author, make_author()],
                tags=["news"],
                body=paragraph_blocks(2),
            )

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(path)  # warm: renditions and site caches
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context.captured_queries)

    add(2)
    baseline = count()
    add(8)
    client.get(path)
    with django_assert_num_queries(baseline) as context:
        client.get(path)
    # The listing is paged without counting it: a count reads every story.
    counts = [q["sql"] for q in context.captured_queries if "COUNT(" in q["sql"]]
    assert not counts


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_home_page_title_and_body_class_are_plain(client):
    make_article(make_section("World"), title="Anything")
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.title.get_text().strip() == "Dateline"
    assert soup.body["class"] == ["template-home"]
    assert len(soup.select("section.front-section")) == len(
        soup.select("main section.front-section")
    )
