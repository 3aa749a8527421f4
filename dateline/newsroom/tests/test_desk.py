"""Corrections, embargoes, fronts, breaking news, archives and topics."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Site

from dateline.newsroom.actions import do_publish_article
from dateline.newsroom.models import (
    ArticleCorrection,
    ArticlePage,
    BreakingNews,
    DatelinePlace,
    HomePage,
    HomeTopStory,
    TopicPage,
)
from dateline.testing.factories import (
    home_page,
    make_article,
    make_author,
    make_comment,
    make_section,
)
from dateline.testing.html import page_text

pytestmark = pytest.mark.django_db


def test_correction_shows_on_the_article_bumps_updated_and_lists_site_wide(client):
    article = make_article(title="Budget figures")
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(hours=5)
    )
    article = ArticlePage.objects.get(pk=article.pk)
    article.corrections.add(
        ArticleCorrection(text="The deficit is Rs 3bn, not Rs 30bn.", kind="correction")
    )
    article.corrections.add(
        ArticleCorrection(text="Minister responded.", kind="update")
    )
    do_publish_article(article)
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    notes = [
        p.get_text(" ", strip=True) for p in soup.select(".corrections .correction")
    ]
    assert notes[0].startswith("Correction:") and "Rs 3bn, not Rs 30bn" in notes[0]
    assert notes[1].startswith("Update:")
    assert soup.select_one(".story__updated time")
    listing = page_text(client, "/corrections/")
    assert "Rs 3bn, not Rs 30bn" in listing and "Budget figures" in listing


def test_corrections_page_lists_newest_first_and_hides_unreleased_articles(client):
    older = make_article(title="Older story")
    older.corrections.add(
        ArticleCorrection(
            text="Old fix", published_at=timezone.now() - timedelta(days=2)
        )
    )
    do_publish_article(older)
    newer = make_article(title="Newer story")
    newer.corrections.add(ArticleCorrection(text="New fix"))
    do_publish_article(newer)
    hidden = make_article(title="Embargoed one")
    hidden.corrections.add(ArticleCorrection(text="Secret fix"))
    hidden.embargo_until = timezone.now() + timedelta(hours=1)
    do_publish_article(hidden)
    text = page_text(client, "/corrections/")
    assert text.index("New fix") < text.index("Old fix")
    assert "Secret fix" not in text


def test_embargoed_article_is_invisible_everywhere_until_its_time(client):
    section = make_section("World")
    author = make_author("Embargo Writer")
    article = make_article(
        section,
        title="Embargoed scoop",
        authors=[author],
        tags=["scoop"],
        embargo_until=timezone.now() + timedelta(hours=2),
    )
    assert article.live
    assert client.get(article.url).status_code == 404
    for path in ["/", "/world/", "/authors/embargo-writer/"]:
        assert "Embargoed scoop" not in page_text(client, path), path
    # A tag on nothing released does not exist yet: its name could tell the story.
    assert client.get("/tags/scoop/").status_code == 404
    assert client.post(f"/comments/{article.pk}/post/", {}).status_code == 404
    assert client.get(f"/comments/{article.pk}/feed/").status_code == 404

    ArticlePage.objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(article.url).status_code == 200
    for path in ["/", "/world/", "/authors/embargo-writer/", "/tags/scoop/"]:
        assert "Embargoed scoop" in page_text(client, path), path


def test_front_page_curation(client):
    world, business = make_section("World"), make_section("Business")
    lead = make_article(world, title="Lead story")
    top = make_article(business, title="Top pick")
    make_article(world, title="World latest")
    make_article(business, title="Business latest")
    home = HomePage.objects.get(pk=home_page().pk)
    home.lead_story = lead
    home.top_stories = [HomeTopStory(article=top)]
    home.save_revision().publish()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert (
        soup.select_one(".card--lead .card__title").get_text(strip=True) == "Lead story"
    )
    top_titles = [a.get_text() for a in soup.select(".front-top .card__title a")]
    assert top_titles == ["Top pick"]
    latest = [a.get_text() for a in soup.select(".front-latest .card__title a")]
    assert sorted(latest) == ["Business latest", "World latest"]


def test_breaking_news_banner_shows_until_it_expires(client):
    banner = BreakingNews.for_site(Site.objects.get(is_default_site=True))
    banner.text = "Earthquake felt across the north"
    banner.link = "/world/"
    banner.expires_at = timezone.now() + timedelta(minutes=30)
    banner.save()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert (
        soup.select_one(".breaking a").get_text() == "Earthquake felt across the north"
    )
    article = make_article()
    assert b"Earthquake felt" in client.get(article.url).content
    banner.expires_at = timezone.now() - timedelta(seconds=1)
    banner.save()
    assert b"Earthquake felt" not in client.get("/").content


def test_section_archive_by_year_and_month(client):
    world = make_section("World")
    november = make_article(world, title="November story")
    october = make_article(world, title="October story")
    ArticlePage.objects.filter(pk=november.pk).update(
        first_published_at=timezone.make_aware(timezone.datetime(2026, 11, 3, 12))
    )
    ArticlePage.objects.filter(pk=october.pk).update(
        first_published_at=timezone.make_aware(timezone.datetime(2026, 10, 3, 12))
    )
    assert "October story" not in page_text(client, "/world/2026/11/")
    assert "November story" in page_text(client, "/world/2026/11/")
    year = page_text(client, "/world/2026/")
    assert "November story" in year and "October story" in year
    assert "November story" not in page_text(client, "/world/2025/")
    assert client.get("/world/2026/13/").status_code == 404


def test_subsections_articles_in_other_sections_and_extra_credit(client):
    world = make_section("World")
    asia = world.add_child(instance=type(world)(title="Asia", slug="asia"))
    asia = type(world).objects.get(pk=asia.pk)
    asia.save_revision().publish()
    business = make_section("Business")
    story = make_article(
        asia, title="Asian markets", additional_reporting="Lina Chen in Beijing"
    )
    story.also_in.add(business)
    do_publish_article(story)
    assert "Asian markets" in page_text(client, "/world/")
    assert "Asian markets" in page_text(client, "/world/asia/")
    assert "Asian markets" in page_text(client, "/business/")
    assert "Additional reporting by Lina Chen in Beijing" in page_text(
        client, story.url
    )


def test_topic_page_lists_its_tag(client):
    make_article(title="Flood warning", tags=["monsoon"])
    make_article(title="Cricket final", tags=["sport"])
    topic = TopicPage(
        title="Monsoon 2026", slug="monsoon", tag=Tag.objects.get(name="monsoon")
    )
    home_page().add_child(instance=topic)
    topic.save_revision().publish()
    text = page_text(client, "/monsoon/")
    assert "Flood warning" in text and "Cricket final" not in text


def test_dateline_field_suggests_the_newsrooms_places(client):
    DatelinePlace.objects.create(name="Gwadar")
    client.force_login(get_user_model().objects.create_superuser("ed", password="pw"))
    section = make_section("World")
    html = client.get(f"/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/")
    soup = BeautifulSoup(html.content, "html.parser")
    field = soup.select_one("input[name=dateline_place]")
    datalist = soup.select_one(f"datalist#{field['list']}")
    assert [o["value"] for o in datalist.select("option")] == ["Gwadar"]


def test_approving_a_comment_shows_at_once(client):
    article = make_article()
    comment = make_comment(article, approved=False, body="Fresh reaction")
    assert b"Fresh reaction" not in client.get(article.url).content
    from dateline.comments.actions import do_moderate_comment

    do_moderate_comment(comment, "approve")
    assert b"Fresh reaction" in client.get(article.url).content
