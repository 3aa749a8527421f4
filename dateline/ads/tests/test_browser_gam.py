"""A reader, in Chromium, on a story while the outlet has no ad network, and while it
has Google Ad Manager: nothing leaves the site until the reader says yes.

The browser never reaches the internet: every request to another host is answered
here, Ad Manager's script by a small stand-in that draws what it was asked to show.
"""

from urllib.parse import urlsplit

import pytest

from dateline.testing.browser import chromium
from dateline.testing.factories import make_article, paragraph_blocks

from .helpers import READER

pytestmark = [pytest.mark.browser]

GAM = "dateline.ads.backends.gam.GoogleAdManagerProvider"
GPT_HOST = "securepubads.g.doubleclick.net"
# Ad Manager's tag, as far as ads.js uses it: it runs the queued commands and, for
# each slot displayed, writes the ad unit it was given into the slot's box.
GPT_STUB = """
(function () {
  var tag = window.googletag, units = {}, queued = tag.cmd;
  tag.pubads = function () { return {}; };
  tag.defineSlot = function (unit, size, id) {
    units[id] = unit;
    return { addService: function () { return this; } };
  };
  tag.enableServices = function () {};
  tag.display = function (id) {
    var ad = document.createElement("p");
    ad.className = "stub-ad";
    ad.textContent = "Ad Manager ad for " + units[id];
    document.getElementById(id).appendChild(ad);
  };
  tag.cmd = { push: function (command) { command(); } };
  queued.forEach(function (command) { command(); });
})();
"""


@pytest.fixture
def story(live_server):
    return make_article(
        title="Monsoon arrives early", body=paragraph_blocks(12, words_each=60)
    )


@pytest.fixture
def browser(story):
    """Chromium, started after the database is set up and stopped before it is reset."""
    with chromium() as browser:
        yield browser


class Reader:
    """A browser tab that records every host it asks for and answers the ones that
    are not this site's itself."""

    def __init__(self, browser, site_url):
        self.site = urlsplit(site_url).netloc
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 800}, user_agent=READER
        )
        self.page = self.context.new_page()
        self.hosts = set()
        self.elsewhere = []
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc))
        self.page.route(lambda url: urlsplit(url).netloc != self.site, self.answer)

    def answer(self, route):
        url = route.request.url
        self.elsewhere.append(url)
        if urlsplit(url).netloc == GPT_HOST and url.endswith("/tag/js/gpt.js"):
            route.fulfill(content_type="text/javascript", body=GPT_STUB)
        else:
            route.abort()

    def read(self, url):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.page.mouse.wheel(0, 20000)  # the whole story, so every slot is seen
        self.page.wait_for_load_state("networkidle")

    def gpt_requests(self):
        return [url for url in self.elsewhere if urlsplit(url).netloc == GPT_HOST]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "provider", [None, GAM], ids=["default-provider", "gam-not-configured"]
)
def test_without_a_configured_network_nothing_leaves_the_site(
    browser, story, live_server, settings, provider
):
    if provider:
        settings.DATELINE_AD_PROVIDER = provider
    reader = Reader(browser, live_server.url)
    reader.read(f"{live_server.url}{story.url}")
    assert reader.page.locator("h1").inner_text() == "Monsoon arrives early"
    assert reader.hosts == {reader.site}, reader.hosts
    assert reader.elsewhere == []
    assert reader.page.locator(".ad-consent").count() == 0
    # Nothing fills the slots, so they are gone, label and all.
    assert reader.page.locator("[data-ad-slot]").count() == 0
    reader.context.close()


@pytest.fixture
def gam(settings):
    settings.DATELINE_AD_PROVIDER = GAM
    settings.DATELINE_GAM_NETWORK_CODE = "1234"
    settings.DATELINE_GAM_AD_UNITS = {"article-inline-3": "news/inline"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gam_loads_only_after_the_reader_allows_it(browser, story, live_server, gam):
    reader = Reader(browser, live_server.url)
    page = reader.page
    reader.read(f"{live_server.url}{story.url}")

    banner = page.locator(".ad-consent")
    banner.wait_for()
    assert "Allow it?" in banner.inner_text()
    assert reader.hosts == {reader.site}, reader.hosts
    assert reader.elsewhere == []
    slot = page.locator('[data-ad-slot="article-inline-3"]')
    box = slot.locator(".ad-slot__box")
    reserved = box.bounding_box()
    assert (reserved["width"], reserved["height"]) == (300, 250)

    banner.get_by_role("button", name="Allow").click()
    box.locator(".stub-ad").wait_for()
    assert reader.gpt_requests() == [f"https://{GPT_HOST}/tag/js/gpt.js"]
    assert box.inner_text() == "Ad Manager ad for /1234/news/inline"
    assert box.bounding_box() == reserved
    assert slot.locator(".ad-slot__label").inner_text().upper() == "- ADVERTISEMENT -"
    assert banner.count() == 0
    # Slots the network has no unit for are gone.
    assert page.locator("[data-ad-slot]").count() == 1

    # The answer is remembered in this browser: no banner the next time.
    reader.read(f"{live_server.url}{story.url}")
    page.locator(".stub-ad").wait_for()
    assert page.locator(".ad-consent").count() == 0
    assert len(reader.gpt_requests()) == 2
    reader.context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gam_never_loads_when_the_reader_declines(browser, story, live_server, gam):
    reader = Reader(browser, live_server.url)
    reader.read(f"{live_server.url}{story.url}")
    banner = reader.page.locator(".ad-consent")
    banner.get_by_role("button", name="No, thanks").click()
    reader.page.wait_for_load_state("networkidle")
    assert banner.count() == 0
    assert reader.page.locator("[data-ad-slot]").count() == 0
    reader.read(f"{live_server.url}{story.url}")
    assert reader.page.locator(".ad-consent").count() == 0
    assert reader.hosts == {reader.site}, reader.hosts
    assert reader.elsewhere == []
    reader.context.close()
