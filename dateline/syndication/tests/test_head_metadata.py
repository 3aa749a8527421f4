"""What every public page's head tells search engines and share cards: a description
on every page, and the head tags of author and tag pages."""

import io
from urllib.parse import urlsplit

import extruct
import pytest
from PIL import Image

from dateline.newsroom.models import TopicPage
from dateline.testing.factories import (
    home_page,
    make_article,
    make_author,
    make_image,
    make_section,
)
from dateline.testing.html import soup_of

pytestmark = pytest.mark.django_db


def head_of(client, url):
    return soup_of(client, url).head


def site_url(client, path):
    """``path`` on the site's own origin, as the home page's canonical URL gives it."""
    home = head_of(client, "/").find("link", rel="canonical")["href"]
    return home.rstrip("/") + path


def meta(head, **attrs):
    tag = head.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def test_story_without_standfirst_is_described_by_its_opening(client):
    opening = (
        "The city council voted on Tuesday to extend the number 12 bus to the new "
        "hospital, after two years of petitions from residents of the eastern "
        "suburbs who now change buses twice."
    )
    story = make_article(
        make_section("City"),
        standfirst="",
        body=[
            {
                "type": "paragraph",
                "value": f"<p>{opening[:60]}<b>{opening[60:]}</b></p>",
            },
            {"type": "paragraph", "value": "<p>A second paragraph follows.</p>"},
        ],
    )
    head = head_of(client, story.url)
    description = meta(head, name="description")
    assert description.endswith("…") and len(description) <= 160
    assert opening.startswith(description[:-1])
    assert meta(head, property="og:description") == description
    assert meta(head, name="twitter:description") == description


def test_short_story_without_standfirst_is_described_by_all_of_it(client):
    story = make_article(
        standfirst="",
        body=[
            {"type": "paragraph", "value": "<p>Rain closed the ring road.</p>"},
            {"type": "paragraph", "value": "<p>It reopened at noon &amp; dried.</p>"},
        ],
    )
    assert (
        meta(head_of(client, story.url), name="description")
        == "Rain closed the ring road. It reopened at noon & dried."
    )


def test_standfirst_stays_the_description(client):
    story = make_article(standfirst="Buses reach the hospital.")
    assert meta(head_of(client, story.url), name="description") == (
        "Buses reach the hospital."
    )


def test_author_page_has_description_canonical_and_open_graph(client):
    author = make_author(
        "Sana Mir",
        job_title="Climate correspondent",
        bio="Sana Mir covers glaciers,\nrivers and the monsoon.",
        email="sana.private@newsroom.example",
    )
    make_article(authors=[author])
    url = author.get_absolute_url()
    head = head_of(client, url)
    description = "Sana Mir covers glaciers, rivers and the monsoon."
    assert meta(head, name="description") == description
    assert head.find("link", rel="canonical")["href"] == site_url(client, url)
    assert meta(head, property="og:type") == "profile"
    assert meta(head, property="og:title") == "Sana Mir"
    assert meta(head, property="og:description") == description
    assert meta(head, property="og:url") == site_url(client, url)
    assert meta(head, name="twitter:card") == "summary"
    assert "sana.private" not in str(head)


def test_author_without_bio_is_described_by_name_and_title(client):
    author = make_author("Omar Farooq", job_title="Business editor")
    head = head_of(client, author.get_absolute_url())
    description = meta(head, name="description")
    assert description.startswith("Omar Farooq, Business editor")


def test_tag_page_has_description_canonical_and_open_graph(client):
    make_article(tags=["Monsoon"])
    head = head_of(client, "/tags/monsoon/?page=1")
    assert "Monsoon" in meta(head, name="description")
    canonical = site_url(client, "/tags/monsoon/")
    assert head.find("link", rel="canonical")["href"] == canonical
    assert meta(head, property="og:type") == "website"
    assert meta(head, property="og:title") == "Monsoon"
    assert meta(head, property="og:url") == canonical


def test_topic_page_is_described_by_its_intro(client):
    story = make_article(tags=["Water"])
    topic = TopicPage(
        title="Water", slug="water", intro="The capital's water.", tag=story.tags.get()
    )
    home_page().add_child(instance=topic)
    topic.save_revision().publish()
    head = head_of(client, topic.url)
    assert meta(head, name="description") == "The capital's water."


def test_json_ld_images_state_the_size_each_file_really_has(client):
    # Wagtail does not enlarge: from 1600×900, the 4:3 and 1:1 shapes are 900 high.
    story = make_article(lead_image=make_image(size=(1600, 900)))
    (news,) = [
        item
        for item in extruct.extract(
            client.get(story.url).content.decode(),
            base_url="http://localhost/",
            syntaxes=["json-ld"],
        )["json-ld"]
        if item.get("@type") == "NewsArticle"
    ]
    stated = [(image["width"], image["height"]) for image in news["image"]]
    assert stated == [(1200, 675), (1200, 900), (900, 900)]
    for image in news["image"]:
        assert image["@type"] == "ImageObject"
        response = client.get(urlsplit(image["url"]).path)
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as file:
            assert file.size == (image["width"], image["height"])
