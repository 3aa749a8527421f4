"""What a reader finds around the news: the author and more stories after a story,
the footer's pages and social links, the site icon and manifest, the empty front."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from dateline.newsroom.models import ArticlePage, OutletSettings, PlainPage
from dateline.testing.factories import (
    home_page,
    make_article,
    make_author,
    make_image,
    make_section,
    paragraph_blocks,
)

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def card_titles(soup, block):
    return [a.get_text() for a in soup.select(f"{block} .card__title a")]


def age(article, hours):
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(hours=hours)
    )


def outlet():
    return OutletSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def story():
    section = make_section("Pakistan")
    make_section("World")
    author = make_author(
        "Amina Qureshi",
        job_title="Water correspondent",
        bio="Amina covers water and cities. " * 30,
        photo=make_image("Amina"),
    )
    article = make_article(section, title="Capital water plan", authors=[author])
    article.tags.add("water", "budget", "islamabad")
    article.save_revision().publish()
    return article


def test_related_stories_share_tags_most_shared_first(client, story):
    world = story.get_parent().get_siblings().get(slug="world").specific
    one_tag = make_article(world, title="Dams in the north")
    one_tag.tags.add("water")
    two_tags = make_article(world, title="Water budget vote")
    two_tags.tags.add("water", "budget")
    unrelated = make_article(world, title="Cricket scores")
    unrelated.tags.add("cricket")
    for article in (one_tag, two_tags, unrelated):
        article.save_revision().publish()
    draft = make_article(world, title="Draft on water", publish=False)
    draft.tags.add("water")
    draft.save()

    soup = soup_of(client.get(story.url))
    assert card_titles(soup, "[aria-labelledby=related-heading]") == [
        "Water budget vote",
        "Dams in the north",
    ]


def test_related_stories_are_chosen_among_the_newest_tag_links(client, story, settings):
    """An archive of any size is not read whole: with a look-back of one tag link
    per tag of the story, an older story sharing more tags is weighed on fewer."""
    world = story.get_parent().get_siblings().get(slug="world").specific
    old = make_article(world, title="Old water budget story")
    old.tags.add("water", "budget")
    newer = []
    for title in ("New water story", "Newest water story"):
        article = make_article(world, title=title)
        article.tags.add("water")
        newer.append(article)
    for article in (old, *newer):
        article.save_revision().publish()

    soup = soup_of(client.get(story.url))
    assert card_titles(soup, "[aria-labelledby=related-heading]") == [
        "Old water budget story",  # two tags shared: first
        "Newest water story",
        "New water story",
    ]

    # The story has three tags: the newest three links are the two newer stories'
    # and one of the old story's two, which now counts as sharing one tag.
    settings.DATELINE_RELATED_LOOK_BACK = 1
    soup = soup_of(client.get(story.url))
    assert card_titles(soup, "[aria-labelledby=related-heading]") == [
        "Newest water story",
        "New water story",
        "Old water budget story",
    ]


def test_more_from_the_section_is_its_newest_other_stories(client, story):
    section = story.get_parent().specific
    stories = [make_article(section, title=f"Pakistan story {n}") for n in range(6)]
    for hours, article in enumerate(stories):
        age(article, hours + 1)
    make_article(
        section,
        title="Embargoed story",
        embargo_until=timezone.now() + timedelta(days=1),
    )

    soup = soup_of(client.get(story.url))
    heading = soup.select_one("#more-heading a")
    assert heading.get_text() == "More from Pakistan"
    assert heading["href"] == section.url
    assert card_titles(soup, "[aria-labelledby=more-heading]") == [
        f"Pakistan story {n}" for n in range(4)
    ]


def test_a_new_story_in_the_section_shows_after_the_story_at_once(
    client, story, settings
):
    settings.DATELINE_FRAGMENT_CACHE = True
    section = story.get_parent().specific
    make_article(section, title="First follow-up")
    assert card_titles(soup_of(client.get(story.url)), ".after-story") == [
        "First follow-up"
    ]
    make_article(section, title="Second follow-up")
    tagged = make_article(make_section("Business"), title="Budget markets")
    tagged.tags.add("budget")
    tagged.save_revision().publish()
    soup = soup_of(client.get(story.url))
    assert card_titles(soup, "[aria-labelledby=related-heading]") == ["Budget markets"]
    assert card_titles(soup, "[aria-labelledby=more-heading]") == [
        "Second follow-up",
        "First follow-up",
    ]


def test_author_box_shows_photo_title_short_bio_and_their_page(client, story):
    soup = soup_of(client.get(story.url))
    box = soup.select_one(".story .author-box")
    assert box.select_one(".author-box__name a")["href"] == "/authors/amina-qureshi/"
    assert box.select_one(".author-box__title").get_text() == "Water correspondent"
    assert box.select_one("img.author-box__photo")["src"].endswith(".jpg")
    bio = box.select_one(".author-box__bio").get_text()
    assert bio.startswith("Amina covers water") and bio.endswith("…")
    assert len(bio.rstrip(" …").split()) == 45
    assert box.select_one(".author-box__more a").get_text() == "More by Amina Qureshi"


def test_an_author_s_new_title_reaches_the_author_box(client, story, settings):
    settings.DATELINE_FRAGMENT_CACHE = True
    client.get(story.url)
    author = story.authors[0]
    author.job_title = "Cities editor"
    author.save()
    soup = soup_of(client.get(story.url))
    assert soup.select_one(".author-box__title").get_text() == "Cities editor"


def test_after_the_story_costs_the_same_queries_however_many_stories(
    client, story, settings
):
    """Built afresh (no fragment cache), the article page's queries do not grow with
    the stories, bylines and pictures shown after it."""
    settings.DATELINE_FRAGMENT_CACHE = False
    section = story.get_parent().specific

    def add_stories(count):
        for number in range(count):
            article = make_article(
                section,
                authors=[make_author(), make_author()],
                lead_image=make_image(f"Picture {number}", size=(640, 360)),
            )
            article.tags.add("water", f"extra-{number}")
            article.save_revision().publish()

    def count():
        with CaptureQueriesContext(connection) as context:
            soup = soup_of(client.get(story.url))
        return len(context.captured_queries), soup

    add_stories(1)
    count()  # renditions are made on the first view
    few, soup = count()
    assert len(soup.select(".after-story .card")) == 1
    add_stories(9)
    count()
    many, soup = count()
    assert len(soup.select("[aria-labelledby=related-heading] .card")) == 4
    assert len(soup.select("[aria-labelledby=more-heading] .card")) == 4
    assert many == few


def test_footer_links_the_chosen_pages_and_social_accounts(client):
    home = home_page()
    pages = {}
    for slug, title in [("about", "About us"), ("privacy", "Privacy")]:
        pages[slug] = home.add_child(instance=PlainPage(title=title, slug=slug))
        pages[slug].save_revision().publish()
    settings = outlet()
    settings.about_page = pages["about"]
    settings.privacy_page = pages["privacy"]
    settings.x_url = "https://x.com/gazette"
    settings.save()
    make_article(title="A story")

    soup = soup_of(client.get("/"))
    links = [(a.get_text(), a["href"]) for a in soup.select(".site-footer__links a")]
    assert links[:2] == [("About us", "/about/"), ("Privacy", "/privacy/")]
    social = soup.select(".site-footer__social a")
    assert [(a.get_text(), a["href"]) for a in social] == [
        ("X", "https://x.com/gazette")
    ]
    assert soup_of(client.get("/about/")).h1.get_text() == "About us"

    pages["privacy"].unpublish()
    soup = soup_of(client.get("/"))
    assert [a.get_text() for a in soup.select(".site-footer__links a")][:2] == [
        "About us",
        "Our journalists",
    ]


def test_search_box_has_a_placeholder_and_a_label(client):
    soup = soup_of(client.get("/"))
    field = soup.select_one(".masthead__search input[type=search]")
    assert field["placeholder"] == "Search stories"
    label = soup.select_one(f"label[for={field['id']}]")
    assert label.get_text() == "Search articles" and "visually-hidden" in label["class"]


def test_every_page_links_the_manifest_and_the_bundled_icon_by_default(client):
    story = make_article(title="A story")
    for url in ("/", story.url, "/authors/", "/search/?q=story"):
        soup = soup_of(client.get(url))
        assert soup.select_one("link[rel=manifest]")["href"] == "/manifest.webmanifest"
        assert soup.select_one("link[rel=icon]")["href"] == "/favicon.ico"
        assert soup.select_one("meta[name=theme-color]")["content"] == "#b3121b"
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == data["short_name"] == "Dateline"
    assert data["icons"] == [
        {"src": "/favicon.ico", "sizes": "16x16 32x32 48x48", "type": "image/x-icon"}
    ]
    assert client.get("/favicon.ico").status_code == 200


def test_the_outlet_s_icon_and_colours_reach_pages_and_the_manifest(client):
    settings = outlet()
    settings.name = "The Dateline Gazette"
    settings.short_name = "Gazette"
    settings.theme_colour = "#123456"
    settings.icon = make_image("Icon", size=(600, 600))
    settings.save()

    soup = soup_of(client.get("/"))
    tab = soup.select_one("link[rel=icon]")
    assert tab["sizes"] == "32x32" and tab["href"].endswith(".png")
    touch = soup.select_one("link[rel=apple-touch-icon]")["href"]
    assert touch.endswith(".png") and touch != tab["href"]
    assert soup.select_one("meta[name=theme-color]")["content"] == "#123456"

    data = json.loads(client.get("/manifest.webmanifest").content)
    assert (data["name"], data["short_name"]) == ("The Dateline Gazette", "Gazette")
    assert data["theme_color"] == "#123456"
    assert [(icon["sizes"], icon["type"]) for icon in data["icons"]] == [
        ("192x192", "image/png"),
        ("512x512", "image/png"),
    ]
    assert all(".png" in icon["src"] for icon in data["icons"])


def test_a_theme_colour_that_is_not_a_colour_is_refused():
    from django.core.exceptions import ValidationError

    settings = outlet()
    settings.theme_colour = "red;}"
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "theme_colour" in error.value.message_dict


def test_empty_site_tells_readers_nothing_is_published_yet(client):
    soup = soup_of(client.get("/"))
    empty = soup.select_one(".front-empty")
    assert empty.h2.get_text() == "No stories published yet"
    assert "has not published its first story yet" in empty.get_text()
    assert not soup.select(".card") and "No stories yet." not in soup.get_text()
    assert not soup.select(".front-empty a[href^='/admin/']")


def test_empty_site_welcomes_the_operator_with_what_to_do(client):
    admin = get_user_model().objects.create_superuser("ops", "ops@x.example", "pw")
    client.force_login(admin)
    soup = soup_of(client.get("/"))
    empty = soup.select_one(".front-empty")
    assert empty.h2.get_text() == "Welcome to your new site"
    steps = [a["href"] for a in empty.select("ol a")]
    assert steps[0] == "/admin/settings/dateline_newsroom/outletsettings/"
    assert steps[1] == f"/admin/pages/{home_page().pk}/add_subpage/"
    assert client.get(steps[1]).status_code == 200

    make_article(title="The first story", body=paragraph_blocks(2))
    soup = soup_of(client.get("/"))
    assert not soup.select(".front-empty")
    assert soup.select_one(".card--lead .card__title").get_text() == "The first story"


def test_the_outlet_settings_choose_footer_pages_icon_and_colour_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("ops", "ops@x.example", "pw")
    client.force_login(admin)
    about = home_page().add_child(instance=PlainPage(title="About us", slug="about"))
    about.save_revision().publish()
    icon = make_image("Icon", size=(512, 512))
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/dateline_newsroom/outletsettings/{site.pk}/"
    form = soup_of(client.get(url))
    for name in ("icon", "theme_colour", "about_page", "terms_page", "x_url"):
        assert form.select_one(f"[name={name}]"), name
    data = {
        "name": "The Gazette",
        "tagline": "",
        "short_name": "Gazette",
        "icon": icon.pk,
        "theme_colour": "#zzzzzz",
        "about_page": about.pk,
        "x_url": "https://x.com/gazette",
    }
    refused = soup_of(client.post(url, data))
    assert "A colour such as #b3121b." in refused.get_text()
    response = client.post(url, {**data, "theme_colour": "#0a0b0c"})
    assert response.status_code == 302
    saved = outlet()
    assert (saved.about_page_id, saved.icon_id) == (about.pk, icon.pk)
    assert saved.theme_colour == "#0a0b0c"
