"""The outline and landmarks of public pages, as assistive technology reads them."""

import re

import pytest

from dateline.ads.actions import do_create_placement
from dateline.newsroom.models import TopicPage
from dateline.testing.factories import (
    home_page,
    make_article,
    make_author,
    make_comment,
    make_section,
    paragraph_blocks,
)
from dateline.testing.html import soup_of
from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings():
    """The address of each kind of listing, with stories in it."""
    section = make_section("World")
    author = make_author("Sana Mir")
    article = make_article(section, authors=[author], tags=["Rain"])
    make_article(section, tags=["Rain"])
    topic = TopicPage(title="Monsoon", slug="monsoon", tag=article.tags.get())
    home_page().add_child(instance=topic)
    topic.save_revision().publish()
    run_tasks()  # the worker indexes new stories for search
    return {
        "home": "/",
        "section": section.url,
        "tag": "/tags/rain/",
        "topic": topic.url,
        "author": author.get_absolute_url(),
        "search": "/search/?q=story",
    }


def test_listing_headings_go_down_one_level_at_a_time(client, listings):
    for name, url in listings.items():
        soup = soup_of(client, url)
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, name
        steps = [b - a for a, b in zip(levels, levels[1:], strict=False)]
        assert max(steps) <= 1, (name, levels)
        assert soup.select(".card__title"), name


def test_masthead_and_footer_are_landmarks_by_their_elements_alone(client, listings):
    soup = soup_of(client, "/")
    assert soup.select_one("body > header.masthead")
    assert soup.select_one("body > footer.site-footer")
    assert not soup.find(role=re.compile("^(banner|contentinfo)$"))


def test_each_search_form_has_a_name_of_its_own(client, listings):
    forms = soup_of(client, "/search/?q=story").find_all("form", role="search")
    names = [form.get("aria-label") for form in forms]
    assert len(forms) == 2
    assert all(names) and len(set(names)) == 2, names


def test_every_ad_slot_on_a_page_has_a_name_of_its_own(client):
    do_create_placement("sidebar", "sidebar", 300, 600)
    do_create_placement("home-top", "home", 728, 90, position=1)
    section = make_section("World")
    article = make_article(section, body=paragraph_blocks(10))
    for _ in range(3):
        make_article(section)
    for url in ("/", section.url, article.url):
        slots = soup_of(client, url).select("aside.ad-slot")
        names = [slot["aria-label"] for slot in slots]
        assert len(slots) >= 2, url
        assert names == [f"Advertisement {n}" for n in range(1, len(slots) + 1)]


def test_machine_readable_times_are_to_the_second(client):
    """HTML allows at most three digits of a second; Django's "c" format gives six."""
    article = make_article(body=paragraph_blocks(2))
    make_comment(article)
    assert article.first_published_at.microsecond  # published just now, to the µs
    for url in (article.url, "/", article.section.url):
        times = [t["datetime"] for t in soup_of(client, url).find_all("time")]
        assert times, url
        assert all(re.fullmatch(r"[\d-]+T[\d:]+\+00:00", time) for time in times)


def test_a_right_to_left_story_runs_right_to_left_on_its_page_and_cards(client):
    section = make_section("Pakistan")
    author = make_author("Hina Baig")
    urdu = make_article(
        section,
        title="لاہور میں محلے کی لائبریری",
        standfirst="ایک چھوٹی لائبریری",
        language="ur",
        authors=[author],
        tags=["Libraries"],
    )
    make_article(section, title="Library hours extended", tags=["Libraries"])
    run_tasks()  # the worker indexes new stories for search
    page = soup_of(client, urdu.url)
    assert (page.html["lang"], page.html["dir"]) == ("ur", "rtl")
    listings = [
        "/",
        section.url,
        "/tags/libraries/",
        author.get_absolute_url(),
        "/search/?q=لائبریری",
    ]
    for url in listings:
        soup = soup_of(client, url)
        assert soup.html["dir"] == "ltr", url
        (title,) = [
            heading
            for heading in soup.select(".card__title")
            if heading.get_text() == urdu.title
        ]
        assert (title["lang"], title["dir"]) == ("ur", "rtl"), url
        standfirst = title.find_next_sibling(class_="card__standfirst")
        assert (standfirst["lang"], standfirst["dir"]) == ("ur", "rtl"), url
    english = soup_of(client, section.url).find(string="Library hours extended")
    assert english.find_parent(class_="card__title")["dir"] == "ltr"
