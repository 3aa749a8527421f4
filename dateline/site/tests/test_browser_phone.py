"""The demo outlet on a phone (390×844, as Chromium emulates one): the sections fold
into a menu that opens without JavaScript, the masthead leaves most of the first
screen to the news, and the front page's later cards are compact."""

import io

import pytest

from dateline.testing.browser import chromium

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_site(live_server):
    from dateline.demo.loader import DemoLoader

    DemoLoader(io.StringIO()).load()
    return live_server


@pytest.fixture
def browser(demo_site):
    with chromium() as browser:
        yield browser


def phone(browser, javascript=True):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    return context.new_page()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_phone_menu_opens_to_the_sections(browser, demo_site, javascript):
    page = phone(browser, javascript)
    page.goto(demo_site.url + "/")
    menu = page.get_by_role("navigation", name="Sections")
    world = menu.get_by_role("link", name="World")
    assert not world.is_visible()
    header = page.locator("header.masthead").bounding_box()
    assert header["height"] < PHONE["height"] / 3, header

    page.locator(".section-menu__button").click()
    assert world.is_visible()
    with page.expect_navigation():
        world.click()
    assert page.url == demo_site.url + "/world/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wide_screen_shows_the_sections_without_a_menu_button(browser, demo_site):
    for javascript in (True, False):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
        )
        page = context.new_page()
        page.goto(demo_site.url + "/")
        nav = page.get_by_role("navigation", name="Sections")
        assert nav.get_by_role("link", name="World").is_visible()
        assert not page.locator(".section-menu__button").is_visible()
        context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_phone_front_page_is_markedly_shorter_with_compact_cards(browser, demo_site):
    page = phone(browser)
    page.goto(demo_site.url + "/")
    compact = page.locator(".card--compact")
    assert compact.count() >= 8
    card = compact.first.bounding_box()
    assert card["height"] < 160, card
    image = compact.first.locator("img").bounding_box()
    assert image["width"] < PHONE["width"] / 3, image
    height = page.evaluate("document.documentElement.scrollHeight")

    # The same page with every card full-size, as phones showed it before.
    page.evaluate(
        "document.querySelectorAll('.card--compact')"
        ".forEach(card => card.classList.remove('card--compact'))"
    )
    full = page.evaluate("document.documentElement.scrollHeight")
    assert height < full * 0.6, (height, full)
