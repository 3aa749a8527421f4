"""A reader's open live page in Chromium: new entries behind a button, edits and
removals in place, and everything on a reload without JavaScript."""

import pytest
from playwright.sync_api import expect

from dateline.live.actions import (
    do_delete_entry,
    do_edit_entry,
    do_pin_entry,
    do_post_entry,
)
from dateline.testing.browser import chromium
from dateline.testing.factories import make_author, make_live_page, make_section

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live_site(live_server, settings):
    settings.DATELINE_LIVE_POLL_SECONDS = 2
    return live_server


@pytest.fixture
def browser(live_site):
    with chromium() as browser:
        yield browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_sees_new_entries_arrive_behind_a_button(browser, live_site):
    page = make_live_page(make_section("World"), authors=[make_author("Sana Mir")])
    pinned = do_post_entry(page, title="What we know", body="<p>Summary</p>")
    do_pin_entry(pinned, True)
    older = do_post_entry(page, title="Polls open", body="<p>Queues</p>")
    url = live_site.url + page.url

    tab = browser.new_page()
    tab.goto(url)
    expect(tab.locator(".live__pinned .live-entry")).to_have_attribute(
        "id", f"entry-{pinned.pk}"
    )
    stream = tab.locator(".live__entries .live-entry")
    expect(stream).to_have_count(1)

    fresh = do_post_entry(page, title="Turnout at noon", body="<p>41%</p>")
    button = tab.get_by_role("button", name="1 new update")
    expect(button).to_be_visible(timeout=10_000)
    expect(stream).to_have_count(1)  # nothing moved under the reader
    button.click()
    expect(stream.first).to_have_attribute("id", f"entry-{fresh.pk}")
    expect(button).to_be_hidden()

    do_edit_entry(older, body="<p>Long queues in the north</p>")
    expect(tab.locator(f"#entry-{older.pk}")).to_contain_text(
        "Long queues in the north", timeout=10_000
    )
    expect(tab.locator(f"#entry-{older.pk} .live-entry__updated")).to_be_visible()
    do_delete_entry(fresh)
    expect(tab.locator(f"#entry-{fresh.pk}")).to_have_count(0, timeout=10_000)

    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(url)
    latest = do_post_entry(page, title="First result", body="<p>Seat 1</p>")
    reader.reload()
    expect(reader.locator(".live__entries .live-entry").first).to_have_attribute(
        "id", f"entry-{latest.pk}"
    )
    expect(reader.locator(".live__pinned .live-entry")).to_have_count(1)
