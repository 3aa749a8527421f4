"""A moderator in Chromium: the dashboard's counts and the menu's badge, then the
queue worked through with the keyboard."""

import re

import pytest

from dateline.comments.models import Comment
from dateline.testing.browser import chromium, log_in, make_staff
from dateline.testing.factories import make_article, make_comment

pytestmark = [pytest.mark.browser]


@pytest.fixture
def desk(live_server, django_user_model):
    make_staff("nadia", "Moderators")
    return live_server


@pytest.fixture
def browser(desk):
    with chromium() as browser:
        yield browser


def left_starts_with(page, text):
    """Wait for the reloaded queue's count; the page may be between two loads."""
    page.wait_for_function(
        "text => { const left = document.querySelector('#comment-queue-left');"
        " return left !== null && left.textContent.startsWith(text); }",
        arg=text,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderator_sees_what_waits_and_works_the_queue_by_keyboard(browser, desk):
    article = make_article(title="Water plan")
    first, second, third = (
        make_comment(article, approved=False, name=name)
        for name in ("Aisha", "Bilal", "Chen")
    )
    page = log_in(browser, desk.url, "nadia")

    panel = page.locator("#reader-comments-section")
    assert "3 comments waiting for moderation" in panel.inner_text()
    badge = page.locator("a[data-pending-count]").first
    assert badge.get_attribute("data-pending-count") == "3"
    shown = badge.evaluate("a => getComputedStyle(a, '::after').content")
    assert shown == '"3"'

    panel.get_by_role("link", name=re.compile("waiting for moderation")).click()
    page.wait_for_url(re.compile(r"/admin/reader-comments/"))
    legend = page.locator(".comment-keys")
    assert legend.is_visible() and "approve" in legend.inner_text()
    left = page.locator("#comment-queue-left")
    assert left.inner_text() == "3 comments left in this queue."

    # Newest first: Chen, Bilal, Aisha. j moves on to Bilal; a approves him.
    page.keyboard.press("j")
    current = page.locator("tr.comment-queue__row--current")
    assert "Bilal" in current.inner_text()
    page.keyboard.press("a")
    left_starts_with(page, "2 ")
    assert Comment.objects.get(pk=second.pk).status == "approved"
    # After the page reloads the first comment is current again: s marks it spam.
    page.wait_for_selector("tr.comment-queue__row--current")
    page.keyboard.press("s")
    left_starts_with(page, "1 ")
    assert Comment.objects.get(pk=third.pk).status == "spam"
    page.wait_for_selector("tr.comment-queue__row--current")
    page.keyboard.press("t")
    left_starts_with(page, "0 ")
    assert Comment.objects.get(pk=first.pk).status == "trash"
