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
    page.get_by_role("textbox", name="Name", exact=True).fill("Daniyal")
    page.get_by_role("textbox", name="Email", exact=True).fill(
        "daniyal@readers.example"
    )
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


REMEMBER = (
    "Save my name, email, and website in this browser for the next time I comment."
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_form_remembers_the_commenter_on_this_device_only_when_asked(
    page, demo_site
):
    url = f"{demo_site.url}/pakistan/capital-water-plan/"
    sent = []
    page.on("request", lambda r: r.method == "POST" and sent.append(r.post_data))
    page.goto(url)
    page.get_by_role("textbox", name="Name", exact=True).fill("Daniyal")
    page.get_by_role("textbox", name="Email", exact=True).fill(
        "daniyal@readers.example"
    )
    page.get_by_role("textbox", name="Website", exact=True).fill(
        "https://daniyal.example"
    )
    page.get_by_role("textbox", name="Comment").fill("Meters first, please.")
    page.get_by_label(REMEMBER).check()
    page.get_by_role("button", name="Post Comment").click()
    assert "awaiting moderation" in page.locator("#comment-status").inner_text()
    assert "Daniyal" in sent[0] and "remember" not in sent[0]
    assert not page.context.cookies()

    page.goto(url)
    assert (
        page.get_by_role("textbox", name="Name", exact=True).input_value() == "Daniyal"
    )
    assert (
        page.get_by_role("textbox", name="Email", exact=True).input_value()
        == "daniyal@readers.example"
    )
    assert (
        page.get_by_role("textbox", name="Website", exact=True).input_value()
        == "https://daniyal.example"
    )
    assert page.get_by_role("textbox", name="Comment").input_value() == ""
    assert page.get_by_label(REMEMBER).is_checked()

    # Unticked, the details are forgotten with the next comment.
    page.get_by_label(REMEMBER).uncheck()
    page.get_by_role("textbox", name="Comment").fill("And the reservoirs.")
    page.get_by_role("button", name="Post Comment").click()
    assert "awaiting moderation" in page.locator("#comment-status").inner_text()
    page.goto(url)
    assert page.get_by_role("textbox", name="Name", exact=True).input_value() == ""
    assert not page.get_by_label(REMEMBER).is_checked()
    assert Comment.objects.filter(name="Daniyal").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reply_opens_the_form_under_the_comment_without_a_reload(page, demo_site):
    from dateline.comments.actions import do_moderate_comment

    url = f"{demo_site.url}/pakistan/capital-water-plan/"
    page.goto(url)
    page.evaluate("window.stillTheSamePage = true")
    first = page.locator(".comment-list > .comment").first
    first_id = first.get_attribute("id")
    first_name = first.locator(".comment__author").inner_text()

    first.get_by_role("link", name="Reply").click()
    assert page.evaluate("window.stillTheSamePage === true")
    assert page.url == url
    form = page.locator(f"#{first_id} > #respond form.comment-form")
    assert form.is_visible()
    heading = page.locator(f"#{first_id} > #respond h3").inner_text()
    assert heading.startswith(f"Reply to {first_name}")
    assert page.evaluate("document.activeElement.name") == "body"

    # Cancel puts the form back at the end; Reply brings it again.
    page.get_by_role("link", name="Cancel reply").click()
    assert page.locator(f"#{first_id} #respond").count() == 0
    assert page.locator("#respond h3").inner_text() == "Leave a Reply"
    first.get_by_role("link", name="Reply").click()

    page.get_by_role("textbox", name="Name", exact=True).fill("Daniyal")
    page.get_by_role("textbox", name="Email", exact=True).fill(
        "daniyal@readers.example"
    )
    page.get_by_role("textbox", name="Comment").fill("Agreed, and the meters too.")
    page.get_by_role("button", name="Post Comment").click()
    assert "awaiting moderation" in page.locator("#comment-status").inner_text()
    reply = Comment.objects.get(name="Daniyal")
    assert reply.parent_id == int(first_id.split("-")[1]) and reply.depth == 2

    do_moderate_comment(reply, "approve")
    page.goto(url)
    replies = page.locator(f"#{first_id} > .comment-replies .comment__body")
    assert "Agreed, and the meters too." in replies.all_inner_texts()[-1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_javascript_reply_is_a_link_and_nothing_offers_to_remember(demo_site):
    url = f"{demo_site.url}/pakistan/capital-water-plan/"
    with chromium() as browser:
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(url)
        assert not page.get_by_label(REMEMBER).is_visible()
        first = page.locator(".comment-list > .comment").first
        first_id = first.get_attribute("id").split("-")[1]
        first_name = first.locator(".comment__author").inner_text()
        with page.expect_navigation():
            first.get_by_role("link", name="Reply").click()
        assert f"replytocom={first_id}" in page.url
        heading = page.locator("#respond h3").inner_text()
        assert heading.startswith(f"Reply to {first_name}")
        assert page.locator("input[name=parent]").input_value() == first_id
