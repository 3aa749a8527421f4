"""Every feed field is plain text or HTML by the field, and each is escaped for it
exactly once (docs/security.md, "Output contexts").

Read as a subscriber's reader reads them: the XML parsed, then HTML fields rendered
to their text; and the raw XML checked too, since feedparser sanitises what it reads.
"""

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from dateline.testing.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

TITLE = 'Q&A: <b>"Pipes"</b> & the capital\'s plan'
STANDFIRST = "The capital's agency <img src=x onerror=alert(1)> says 1 < 2 & 3 > 2."
AUTHOR = "Amina <i>Q</i> & Co"
TAG = "r&d <b>"
SCOPES = [
    "/feed/",
    "/feeds/section/world/",
    "/feeds/tag/water/",
    "/feeds/author/amina/",
]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def story(outlet):
    return make_article(
        make_section("World"),
        title=TITLE,
        standfirst=STANDFIRST,
        authors=[make_author(AUTHOR, slug="amina")],
        tags=["water", TAG],
    )


def html_text(html: str) -> str:
    """The text a reader shows for an HTML field, and the elements in it."""
    soup = BeautifulSoup(html, "html.parser")
    return soup.get_text(), [element.name for element in soup.find_all(True)]


@pytest.mark.parametrize("scope", SCOPES)
def test_rss_titles_are_text_and_descriptions_html_escaped_once(client, story, scope):
    raw = client.get(scope).content
    item = ET.fromstring(raw).find("channel/item")
    assert item.findtext("title") == TITLE
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == AUTHOR
    assert TAG in [category.text for category in item.findall("category")]
    assert html_text(item.findtext("description")) == (STANDFIRST, [])
    # An apostrophe needs no entity in HTML text: a reader that shows the
    # description as text still shows an apostrophe.
    assert b"The capital's agency" in raw
    assert b"&amp;#x27;" not in raw
    entry = feedparser.parse(raw).entries[0]
    assert html_text(entry.summary) == (STANDFIRST, [])


@pytest.mark.parametrize("scope", SCOPES)
def test_atom_titles_are_text_and_summaries_html_escaped_once(client, story, scope):
    raw = client.get(scope + "atom/").content
    entry = ET.fromstring(raw).find(f"{ATOM}entry")
    title = entry.find(f"{ATOM}title")
    assert title.get("type", "text") == "text" and title.text == TITLE
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == AUTHOR
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert html_text(summary.text) == (STANDFIRST, [])
    parsed = feedparser.parse(raw).entries[0]
    assert parsed.title == TITLE
    assert html_text(parsed.summary) == (STANDFIRST, [])


@pytest.mark.parametrize("scope", SCOPES)
def test_json_feed_text_fields_are_text(client, story, scope):
    item = json.loads(client.get(scope + "json/").content)["items"][0]
    assert item["title"] == TITLE
    assert item["content_text"] == item["summary"] == STANDFIRST
    assert item["authors"][0]["name"] == AUTHOR
    assert TAG in item["tags"]


@pytest.mark.parametrize("scope", SCOPES)
def test_full_text_is_html_once_in_every_format(client, story, scope, settings):
    settings.DATELINE_FEED_FULL_TEXT = True
    rss = ET.fromstring(client.get(scope).content).find("channel/item")
    atom = ET.fromstring(client.get(scope + "atom/").content).find(f"{ATOM}entry")
    item = json.loads(client.get(scope + "json/").content)["items"][0]
    for html in (
        rss.findtext("description"),
        atom.findtext(f"{ATOM}summary"),
        item["content_html"],
    ):
        text, elements = html_text(html)
        assert elements[:2] == ["p", "span"]  # the body's own markup, not escaped
        assert "&lt;" not in text and "<" not in text


def test_feed_titles_and_descriptions_of_a_hostile_author_or_tag_are_text(
    client, story
):
    for url, name in [("/feeds/author/amina/", AUTHOR), ("/feeds/tag/rd-b/", TAG)]:
        channel = ET.fromstring(client.get(url).content).find("channel")
        assert channel.findtext("title").startswith(name + " – ")
        assert name in channel.findtext("description")
        feed = json.loads(client.get(url + "json/").content)
        assert feed["title"].startswith(name + " – ")
