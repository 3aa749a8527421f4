"""A reader posts the comment form half filled, in Chromium with and without
JavaScript: the page comes back focused on the summary of what to fix."""

import pytest

from dateline.testing.browser import chromium
from dateline.testing.factories import make_article, paragraph_blocks

pytestmark = [pytest.mark.browser]


@pytest.fixture
def story(live_server):
    article = make_article(title="Water plan", body=paragraph_blocks(12, 60))
    return f"{live_server.url}{article.url}"


@pytest.fixture
def browser(story):
    """Chromium, started after the database is set up and stopped before it is reset."""
    with chromium() as browser:
        yield browser


def post_half_filled(page, story):
    page.goto(story)
    page.get_by_role("textbox", name="Email", exact=True).fill("not-an-address")
    with page.expect_navigation():
        page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state("load")


def focused_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_returned_form_is_focused_on_its_error_summary(browser, story, javascript):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    post_half_filled(page, story)
    summary = page.locator("#comment-errors")
    assert summary.is_visible()
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg="comment-errors",
        timeout=5000,
    )
    assert focused_id(page) == "comment-errors"
    assert summary.is_visible() and summary.bounding_box()["y"] < 800  # on screen
    assert summary.get_by_role("link").all_inner_texts() == [
        "Please enter your name.",
        "Please enter a valid email address, like name@example.com.",
        "Please write a comment.",
    ]
    summary.get_by_role("link", name="Please enter your name.").click()
    assert page.url.endswith("#id_name")
    context.close()
