"""Files every page relies on besides its HTML: the site's icon and the pictures."""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from dateline.testing.factories import make_article, make_image, make_section
from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db


def test_every_page_links_an_icon_the_site_serves(client):
    soup = BeautifulSoup(client.get("/no-such-page/").content, "html.parser")
    href = soup.head.find("link", rel="icon")["href"]
    assert href == "/favicon.ico"
    response = client.get(href)
    assert response.status_code == 200
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


def card_images(client, url, selector):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select(selector)


def widths(img):
    return [int(candidate.split()[1][:-1]) for candidate in img["srcset"].split(",")]


def test_front_page_lead_picture_loads_first_in_the_size_its_slot_needs(client):
    story = make_article(lead_image=make_image(size=(1600, 900)))
    make_article(story.section, lead_image=make_image(size=(1600, 900)))
    (lead,) = card_images(client, "/", ".card--lead img")
    assert not lead.has_attr("loading")
    assert lead["fetchpriority"] == "high"
    assert widths(lead) == [480, 800, 1200]
    assert lead["sizes"].endswith("calc(100vw - 32px)")
    for card in card_images(client, "/", ".card:not(.card--lead) img"):
        assert card["loading"] == "lazy"
        assert widths(card) == [480, 800]
        assert card["sizes"]


def test_listing_and_search_cards_offer_two_widths(client):
    story = make_article(
        title="Bridge repairs", lead_image=make_image(size=(1600, 900))
    )
    run_tasks()  # the worker indexes new stories for search
    for url in (story.section.url, "/search/?q=bridge"):
        (img,) = card_images(client, url, ".card img")
        assert widths(img) == [480, 800], url
        assert img["loading"] == "lazy"
        for candidate in img["srcset"].split(","):
            picture = client.get(candidate.split()[0])
            assert picture.status_code == 200


@pytest.mark.parametrize("path", ["/", "/world/", "/tags/rain/", "/search/?q=rain"])
def test_card_pictures_cost_no_query_per_card(client, django_assert_num_queries, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section = make_section("World")

    def add(n):
        for _ in range(n):
            make_article(
                section, title="Rain story", tags=["rain"], lead_image=make_image()
            )
        client.get(path)  # the first view makes the renditions

    add(2)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    baseline = len(captured.captured_queries)  # read now: the log moves on
    add(4)
    with django_assert_num_queries(baseline):
        client.get(path)


def test_picture_renditions_are_kept_for_a_year_originals_are_not(client):
    story = make_article(lead_image=make_image(size=(1600, 900)))
    (img,) = card_images(client, "/", ".card img")
    rendition = client.get(img["src"])
    assert img["src"].startswith("/media/images/")
    assert rendition.status_code == 200
    control = {part.strip() for part in rendition["Cache-Control"].split(",")}
    assert control == {"public", "max-age=31536000", "immutable"}
    original = client.get(story.lead_image.file.url)
    assert original.status_code == 200
    assert "immutable" not in original.get("Cache-Control", "")
