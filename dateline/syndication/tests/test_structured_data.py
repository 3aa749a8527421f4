import io
import json
import re
from datetime import timedelta

import extruct
import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.utils import timezone
from PIL import Image as PILImage

from dateline.newsroom.models import ArticleCorrection, ArticlePage
from dateline.testing.factories import (
    make_article,
    make_author,
    make_image,
    make_section,
)

from .helpers import queries_for

pytestmark = pytest.mark.django_db

ISO_WITH_OFFSET = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"
# What Google's article documentation and schema.org's NewsArticle ask of a story.
NEWS_ARTICLE_PROPERTIES = {
    "headline",
    "description",
    "image",
    "datePublished",
    "dateModified",
    "author",
    "publisher",
    "mainEntityOfPage",
    "articleSection",
    "keywords",
    "wordCount",
    "inLanguage",
}


def page_data(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    data = extruct.extract(
        html, base_url="http://localhost/", syntaxes=["json-ld", "opengraph"]
    )
    return html, data


def json_ld(data, kind):
    return [item for item in data["json-ld"] if item.get("@type") == kind]


def open_graph(data):
    (og,) = data["opengraph"]
    values = {}
    for name, value in og["properties"]:
        values.setdefault(name, []).append(value)
    return values


@pytest.fixture
def story(outlet):
    section = make_section("Pakistan")
    return make_article(
        section,
        title="Capital approves new water plan",
        standfirst="The council votes for new pipes.",
        authors=[
            make_author("Amina Qureshi", email="amina.private@newsroom.example"),
            make_author("Bilal Khan", email="bilal.private@newsroom.example"),
        ],
        tags=["water", "islamabad"],
        lead_image=make_image("Pipes", size=(1600, 1200)),
    )


def test_article_is_a_news_article_with_every_property(client, story):
    html, data = page_data(client, story.url)
    (article,) = json_ld(data, "NewsArticle")
    assert NEWS_ARTICLE_PROPERTIES <= set(article)
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Capital approves new water plan"
    assert article["description"] == "The council votes for new pipes."
    urls = [image["url"] for image in article["image"]]
    assert [re.search(r"fill-(\d+x\d+)", url)[1] for url in urls] == [
        "1200x675",
        "1200x900",
        "1200x1200",
    ]
    for url in urls:
        assert url.startswith("http://localhost/media/images/")
        assert client.get(url.removeprefix("http://localhost")).status_code == 200
    story = ArticlePage.objects.get(pk=story.pk)
    assert article["datePublished"] == timezone.localtime(
        story.first_published_at
    ).isoformat(timespec="seconds")
    assert re.fullmatch(ISO_WITH_OFFSET, article["dateModified"])
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Amina Qureshi",
            "url": "http://localhost/authors/amina-qureshi/",
        },
        {
            "@type": "Person",
            "name": "Bilal Khan",
            "url": "http://localhost/authors/bilal-khan/",
        },
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "The Dateline Gazette"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"] == (
        "http://localhost/static/dateline_syndication/logo.png"
    )
    with PILImage.open(finders.find("dateline_syndication/logo.png")) as logo:
        assert logo.size == (publisher["logo"]["width"], publisher["logo"]["height"])
    assert article["mainEntityOfPage"] == story.full_url
    assert article["articleSection"] == "Pakistan"
    assert article["keywords"] == ["islamabad", "water"]
    # 120 words of body and the dateline, "Islamabad (The Dateline Gazette)".
    assert article["wordCount"] == story.word_count == 124
    assert article["inLanguage"] == "en"
    assert "correction" not in article
    assert "private@" not in html and "newsroom.example" not in html


def test_article_breadcrumbs_run_home_section_article(client, story):
    _, data = page_data(client, story.url)
    (crumbs,) = json_ld(data, "BreadcrumbList")
    assert [
        (item["position"], item["name"], item["item"])
        for item in crumbs["itemListElement"]
    ] == [
        (1, "Home", "http://localhost/"),
        (2, "Pakistan", "http://localhost/pakistan/"),
        (3, "Capital approves new water plan", story.full_url),
    ]


def test_breadcrumbs_of_an_article_in_a_subsection(client, outlet):
    world = make_section("World")
    asia = world.add_child(instance=type(world)(title="Asia", slug="asia"))
    asia.save_revision().publish()
    article = make_article(asia, title="Monsoon arrives")
    _, data = page_data(client, article.url)
    (crumbs,) = json_ld(data, "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Home",
        "World",
        "Asia",
        "Monsoon arrives",
    ]


def test_article_sharing_tags(client, story):
    html, data = page_data(client, story.url)
    og = open_graph(data)
    assert og["og:type"] == ["article"]
    assert og["og:title"] == ["Capital approves new water plan"]
    assert og["og:description"] == ["The council votes for new pipes."]
    assert og["og:url"] == [story.full_url]
    assert og["og:site_name"] == ["The Dateline Gazette"]
    (image,) = og["og:image"]
    assert image.startswith("http://localhost/media/images/") and "1200x630" in image
    assert (og["og:image:width"], og["og:image:height"]) == (["1200"], ["630"])
    assert og["article:section"] == ["Pakistan"]
    assert og["article:tag"] == ["islamabad", "water"]
    assert re.fullmatch(ISO_WITH_OFFSET, og["article:published_time"][0])
    assert re.fullmatch(ISO_WITH_OFFSET, og["article:modified_time"][0])

    head = BeautifulSoup(html, "html.parser").head
    twitter = {
        m["name"]: m["content"]
        for m in head.find_all("meta")
        if m.get("name", "").startswith("twitter:")
    }
    assert twitter["twitter:card"] == "summary_large_image"
    assert twitter["twitter:title"] == "Capital approves new water plan"
    assert twitter["twitter:description"] == "The council votes for new pipes."
    assert twitter["twitter:image"] == image
    canonical = head.find_all("link", rel="canonical")
    assert [link["href"] for link in canonical] == [story.full_url]
    descriptions = head.find_all("meta", attrs={"name": "description"})
    assert [m["content"] for m in descriptions] == ["The council votes for new pipes."]


def test_article_without_image_or_tags_leaves_those_out(client, outlet):
    article = make_article(title="Plain story", standfirst="")
    html, data = page_data(client, article.url)
    (news,) = json_ld(data, "NewsArticle")
    assert "image" not in news and "keywords" not in news
    # Without a standfirst, the story's opening words describe it.
    assert news["description"].startswith("council water budget")
    assert "og:image" not in open_graph(data)
    assert 'content="summary"' in html


def test_corrections_are_correction_comments_and_updates_are_not(client, story):
    ArticleCorrection.objects.create(
        page=story, kind="correction", text="An earlier version misspelt the mayor."
    )
    ArticleCorrection.objects.create(
        page=story, kind="update", text="The council has since voted."
    )
    _, data = page_data(client, story.url)
    (article,) = json_ld(data, "NewsArticle")
    (correction,) = article["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "An earlier version misspelt the mayor."
    assert re.fullmatch(ISO_WITH_OFFSET, correction["datePublished"])


def test_a_headline_cannot_break_out_of_the_json_ld(client, outlet):
    hostile = '</script><script>alert(1)</script><!-- & "quoted" \u2028'
    article = make_article(title=hostile, standfirst=hostile)
    html, data = page_data(client, article.url)
    assert "<script>alert(1)" not in html
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert [s.get("type") for s in scripts if not s.get("src")] == [
        "application/ld+json",
        "application/ld+json",
    ]
    for script in scripts:
        if script.get("src") is None:
            assert "<" not in script.string and "&" not in script.string
    (news,) = json_ld(data, "NewsArticle")
    assert news["headline"] == hostile
    (crumbs,) = json_ld(data, "BreadcrumbList")
    assert crumbs["itemListElement"][-1]["name"] == hostile


def test_home_page_is_a_website_with_a_search_box(client, outlet):
    make_article()
    _, data = page_data(client, "/")
    (site,) = json_ld(data, "WebSite")
    assert site["name"] == "The Dateline Gazette"
    assert site["url"] == "http://localhost/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == (
        "http://localhost/search/?q={search_term_string}"
    )
    assert action["query-input"] == "required name=search_term_string"
    (organisation,) = json_ld(data, "NewsMediaOrganization")
    assert organisation["logo"]["url"].endswith("/dateline_syndication/logo.png")
    og = open_graph(data)
    assert og["og:type"] == ["website"]
    assert og["og:description"] == ["Independent reporting"]
    assert json_ld(data, "BreadcrumbList") == []


def test_section_page_has_breadcrumbs_and_a_canonical_per_listing_page(client, outlet):
    section = make_section("Business")
    section.intro = "Companies and markets."
    section.save_revision().publish()
    for _ in range(14):
        make_article(section)
    _, data = page_data(client, "/business/")
    (crumbs,) = json_ld(data, "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == ["Home", "Business"]
    assert open_graph(data)["og:description"] == ["Companies and markets."]
    soup = BeautifulSoup(client.get("/business/?page=2").content, "html.parser")
    assert soup.find("link", rel="canonical")["href"] == (
        "http://localhost/business/?page=2"
    )


@override_settings(TIME_ZONE="Asia/Karachi")
def test_dates_carry_the_outlet_offset(client, story):
    _, data = page_data(client, story.url)
    (article,) = json_ld(data, "NewsArticle")
    assert article["datePublished"].endswith("+05:00")


def test_urdu_demo_article(client):
    from dateline.demo.loader import DemoLoader

    DemoLoader(io.StringIO()).load()
    article = ArticlePage.objects.get(language="ur")
    html, data = page_data(client, article.url)
    (news,) = json_ld(data, "NewsArticle")
    assert NEWS_ARTICLE_PROPERTIES <= set(news)
    assert news["headline"] == article.title
    assert news["description"] == article.standfirst
    assert news["inLanguage"] == "ur"
    assert news["datePublished"] == "2026-11-18T06:00:00+00:00"
    assert news["publisher"]["name"] == "The Dateline Gazette"
    assert len(news["image"]) == 3
    assert news["keywords"] == ["community", "lahore", "libraries"]
    assert news["wordCount"] == article.word_count > 0
    og = open_graph(data)
    assert og["og:title"] == [article.title]
    assert "gazette.example" not in html  # the demo authors' e-mail domain


def test_head_costs_the_same_however_many_tags_and_authors(client, outlet):
    section = make_section("World")
    small = make_article(section, tags=["one"], lead_image=make_image())
    large = make_article(
        section,
        authors=[make_author() for _ in range(4)],
        tags=[f"tag{i}" for i in range(6)],
        lead_image=make_image(),
    )
    assert queries_for(client, small.url) == queries_for(client, large.url)


def test_hidden_embargoed_article_has_no_metadata_page(client, outlet):
    article = make_article(embargo_until=timezone.now() + timedelta(hours=1))
    assert client.get(article.url).status_code == 404


def test_json_ld_is_valid_json_when_read_directly(client, story):
    soup = BeautifulSoup(client.get(story.url).content, "html.parser")
    blocks = soup.find_all("script", type="application/ld+json")
    assert [json.loads(b.string)["@type"] for b in blocks] == [
        "NewsArticle",
        "BreadcrumbList",
    ]


def test_previews_of_new_and_changed_articles_render(outlet):
    from dateline.newsroom.models import ArticleByline

    section = make_section("World")
    changed = ArticlePage.objects.get(pk=make_article(section, tags=["old"]).pk)
    changed.tags.set(["new"])
    html = changed.make_preview_request().content.decode()
    assert '<meta property="article:tag" content="new">' in html

    unsaved = ArticlePage(title="Not saved yet", slug="not-saved-yet")
    unsaved.bylines = [ArticleByline(author=make_author("Nadia"))]
    unsaved.depth, unsaved.path = section.depth + 1, section.path + "9999"
    unsaved.set_url_path(section)
    response = unsaved.make_preview_request()
    assert response.status_code == 200
    data = extruct.extract(response.content.decode(), syntaxes=["json-ld"])
    (news,) = json_ld(data, "NewsArticle")
    assert news["headline"] == "Not saved yet"
    assert news["author"][0]["name"] == "Nadia"
