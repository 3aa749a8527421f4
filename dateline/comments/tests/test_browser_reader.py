"""A reader replies to a comment and reports another, in Chromium, without help."""

import io

import pytest

from dateline.comments.models import Comment, CommentReport
from dateline.testing.browser import chromium

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo_site(live_server, settings):
    from dateline.demo.loader import DemoLoader

    settings.DATELINE_COMMENTS_MIN_SECONDS = 0
    DemoLoader(io.StringIO()).load()
    return live_server


@pytest.fixture
def page(demo_site):
    with chromium() as browser:
        yield browser.new_page()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_replies_to_a_comment_and_reports_another(page, demo_site):
    url = f"{demo_site.url}/pakistan/capital-water-plan/"
    page.goto(url)
    first, second = page.locator(".comment-list > .comment").all()[:2]
    first_name = first.locator(".comment__author").inner_text()

    first.get_by_role("link", name="Reply").click()
    assert page.locator("#respond h3").inner_text().startswith(f"Reply to {first_name}")
    page.get_by_label("Name").fill("Daniyal")
    page.get_by_label("Email").fill("daniyal@readers.example")
    page.get_by_role("textbox", name="Comment").fill("Agreed, and the meters too.")
    page.get_by_label("Notify me of replies by e-mail").check()
    page.get_by_role("button", name="Post Comment").click()
    assert "awaiting moderation" in page.locator("#comment-status").inner_text()
    reply = Comment.objects.get(name="Daniyal")
    assert reply.parent.name == first_name and reply.depth == 2
    assert reply.notify_replies

    page.goto(url)
    second_id = second.get_attribute("id")
    page.locator(f"#{second_id} .comment__report").click()
    page.get_by_role("button", name="Send report").click()
    assert page.locator("#id_reason_error").inner_text() == "Please choose a reason."
    page.get_by_label("Off topic").check()
    page.get_by_role("textbox", name="Details").fill("Nothing to do with water.")
    page.get_by_role("button", name="Send report").click()
    assert page.locator("h1").inner_text() == "Thank you for your report"
    report = CommentReport.objects.get()
    assert (report.reason, report.comment_id) == (
        "off_topic",
        int(second_id.split("-")[1]),
    )
