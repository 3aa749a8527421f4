"""A reader, in Chromium, meets a campaign in the story: the slot's box is reserved
before the ad arrives, the impression counts once the ad is on screen, the click
counts when clicked, and nothing is fetched from another host."""

from urllib.parse import urlsplit

import pytest

from dateline.ads.actions import do_create_placement, do_flush_counts
from dateline.ads.models import AdDailyCount
from dateline.testing.browser import chromium
from dateline.testing.factories import make_article, paragraph_blocks

from .helpers import READER, make_campaign

pytestmark = [pytest.mark.browser]


@pytest.fixture
def ad_site(live_server):
    article = make_article(
        title="Monsoon arrives early", body=paragraph_blocks(12, words_each=90)
    )
    campaign = make_campaign(
        "Monsoon umbrellas",
        placements=["article-inline-3"],
        creatives=0,
    )
    from .helpers import make_creative

    make_creative(
        campaign,
        name="Umbrella",
        alt_text="Umbrellas for the monsoon",
        # The advertiser's site stands in as this server's home page.
        click_url=f"{live_server.url}/",
    )
    return live_server, article


@pytest.fixture
def browser(ad_site):
    """Chromium, started after the database is set up and stopped before it is reset."""
    with chromium() as browser:
        yield browser


def wait_until(page, condition, seconds=10):
    for _ in range(int(seconds * 20)):
        if condition():
            return True
        page.wait_for_timeout(50)
    return False


def counts():
    do_flush_counts()  # counts kept in the cache (with Redis) reach the table
    row = AdDailyCount.objects.first()
    return (row.impressions, row.clicks) if row else (0, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_campaign_fills_the_story_slot_and_counts_view_and_click(browser, ad_site):
    live_server, article = ad_site
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, user_agent=READER
    )
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    held = []
    page.route("**/ads/fill/**", lambda route: held.append(route))
    page.goto(f"{live_server.url}{article.url}")

    # Before the ad is chosen, its box already takes its full size.
    assert wait_until(page, lambda: held)
    slot = page.locator('[data-ad-slot="article-inline-3"]')
    box = slot.locator(".ad-slot__box")
    reserved = box.bounding_box()
    assert (reserved["width"], reserved["height"]) == (300, 250)
    following = slot.locator("xpath=following-sibling::p[1]")
    text_below = following.bounding_box()["y"]
    assert reserved["y"] > 800  # below the first screen
    held[0].continue_()
    page.unroute("**/ads/fill/**")

    image = box.locator("img")
    image.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.get_attribute("alt") == "Umbrellas for the monsoon"
    assert box.bounding_box() == reserved
    assert following.bounding_box()["y"] == text_below  # nothing moved
    assert slot.locator(".ad-slot__label").inner_text().upper() == "- ADVERTISEMENT -"

    # Not seen yet, so not counted; scrolled to, it is.
    page.wait_for_timeout(300)
    assert counts() == (0, 0)
    box.scroll_into_view_if_needed()
    assert wait_until(page, lambda: counts() == (1, 0)), counts()

    with page.expect_navigation():
        box.locator("a").click()
    assert page.url == f"{live_server.url}/"
    assert wait_until(page, lambda: counts() == (1, 1)), counts()

    page.wait_for_load_state("networkidle")
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sidebar_reserves_its_box_and_collapses_without_moving_the_story(
    browser, ad_site
):
    live_server, article = ad_site
    do_create_placement("sidebar", "sidebar", 300, 600, name="Sidebar")
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, user_agent=READER
    )
    page = context.new_page()
    held = []
    page.route("**/ads/fill/**", lambda route: held.append(route))
    page.goto(f"{live_server.url}{article.url}")

    assert wait_until(page, lambda: held)
    slot = page.locator('[data-ad-slot="sidebar"]')
    reserved = slot.locator(".ad-slot__box").bounding_box()
    assert (reserved["width"], reserved["height"]) == (300, 600)
    story = page.locator("article.story").bounding_box()
    assert reserved["x"] >= story["x"] + story["width"]  # beside the story
    assert reserved["y"] < 800  # on the first screen
    assert slot.locator(".ad-slot__label").inner_text().upper() == "- ADVERTISEMENT -"
    held[0].continue_()
    page.unroute("**/ads/fill/**")

    # The story's slot is filled; nothing is aimed at the sidebar, so it goes.
    page.locator('[data-ad-slot="article-inline-3"] img').wait_for()
    slot.wait_for(state="detached")
    # The story's empty slots collapse too, so only its height may change.
    after = page.locator("article.story").bounding_box()
    assert (after["x"], after["y"], after["width"]) == (
        story["x"],
        story["y"],
        story["width"],
    )
    context.close()
