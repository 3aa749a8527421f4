"""A moderator works through the comment queue in Chromium."""

import re

import pytest

from dateline.comments.models import Comment
from dateline.testing.browser import chromium, log_in, make_staff
from dateline.testing.factories import make_article, make_comment

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser(moderation_site):
    """Chromium, started after the database is set up and stopped before it is reset.

    Playwright's event loop changes which database connection Django's ORM sees, so the
    browser must not outlive a test's database.
    """
    with chromium() as browser:
        yield browser


@pytest.fixture
def moderation_site(live_server, django_user_model):
    make_staff("nadia", "Moderators")
    return live_server


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderator_filters_and_bulk_approves(browser, moderation_site):
    article = make_article(title="Water plan for the capital")
    farah = [
        make_comment(article, approved=False, name="Farah Khan", body=body)
        for body in ["The pipes are old.", "Meters first, please."]
    ]
    other = make_comment(article, approved=False, name="Bilal", body="Fine by me.")

    admin = log_in(browser, moderation_site.url, "nadia")
    admin.get_by_role("link", name="Comments").first.click()
    admin.wait_for_url(re.compile(r"/admin/reader-comments/$"))
    rows = admin.locator("table.comment-queue tbody tr")
    assert rows.count() == 3

    admin.get_by_label("Commenter").fill("farah")
    admin.get_by_role("button", name="Filter").click()
    admin.wait_for_url(re.compile(r"commenter=farah"))
    assert rows.count() == 2
    assert "Bilal" not in admin.locator("table.comment-queue").inner_text()

    # Wagtail's select-all works on the rows; then the moderator picks the two.
    items = admin.locator("tbody input[type=checkbox][name=comment]")
    admin.get_by_label("Select all comments on this page").check()
    assert [box.is_checked() for box in items.all()] == [True, True]
    admin.get_by_label("Select all comments on this page").uncheck()
    assert [box.is_checked() for box in items.all()] == [False, False]
    for comment in farah:
        label = f"Select comment {comment.pk} by Farah Khan"
        admin.get_by_label(label, exact=True).check()
    with admin.expect_navigation():  # the queue comes back with the message
        admin.locator("#bulk-moderation").get_by_role("button", name="Approve").click()

    assert "2 comments approved." in admin.locator(".messages").inner_text()
    assert "commenter=farah" in admin.url
    assert admin.get_by_text("No comments here.").is_visible()

    admin.locator(".comment-tabs").get_by_role("link", name="Approved").click()
    admin.wait_for_url(re.compile(r"status=approved"))
    shown = [row.get_attribute("id") for row in rows.all()]
    assert shown == [f"comment-{c.pk}" for c in reversed(farah)]
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {
        farah[0].pk: "approved",
        farah[1].pk: "approved",
        other.pk: "pending",
    }
