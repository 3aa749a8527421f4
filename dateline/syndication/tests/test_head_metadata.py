"""What every public page's head tells search engines and share cards: a description
on every page, and the head tags of author and tag pages."""

import pytest
from bs4 import BeautifulSoup

from dateline.testing.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser").head


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
