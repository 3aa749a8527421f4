"""A reader and a moderator, in Chromium, on the demo outlet's lead story."""

import io
import re
from urllib.parse import urlsplit

import pytest

from dateline.comments.models import Comment
from dateline.testing.browser import chromium

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser(demo_site):
    """Chromium, started after the database is set up and stopped before it is reset.

    Playwright's event loop changes which database connection Django's ORM sees, so the
    browser must not outlive a test's database.
    """
    with chromium() as browser:
        yield browser


@pytest.fixture
def demo_site(live_server, django_user_model, settings):
    from dateline.demo.loader import DemoLoader

    # The reader here types faster than a person; the minimum time is tested elsewhere.
    settings.DATELINE_COMMENTS_MIN_SECONDS = 0
    DemoLoader(io.StringIO()).load()
    django_user_model.objects.create_superuser("chief", password="a-test-password-9")
    return live_server


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_comments_and_moderator_approves(browser, demo_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    article_url = f"{demo_site.url}/pakistan/capital-water-plan/"
    page.goto(article_url)

    headline = page.locator("h1")
    assert headline.count() == 1
    assert headline.inner_text().startswith("Islamabad unveils")
    assert re.fullmatch(
        r"\d+ MIN READ", page.locator(".story__reading-time").inner_text().upper()
    )
    assert page.locator(".byline a.byline__author").first.is_visible()
    assert (
        page.locator(".story__dates time")
        .first.get_attribute("datetime")
        .endswith("+00:00")
    )
    dateline = page.locator(".story__body p").first.locator("span.dateline")
    assert dateline.inner_text() == "Islamabad (The Dateline Gazette)"
    first_line = page.locator(".story__body p").first.bounding_box()
    # The dateline is inline, on the paragraph's first line, not a line of its own.
    assert dateline.evaluate("node => getComputedStyle(node).display") == "inline"
    assert dateline.bounding_box()["y"] - first_line["y"] < 15
    assert page.locator(".story__body blockquote").first.is_visible()

    slot = page.locator(".story__body .ad-slot")
    assert slot.locator(".ad-slot__label").inner_text().upper() == "- ADVERTISEMENT -"
    box = slot.locator(".ad-slot__box").bounding_box()
    assert (round(box["width"]), round(box["height"])) == (300, 250)

    share = page.locator("section.share")
    assert share.locator("h2").inner_text().upper() == "SHARE THIS ARTICLE"
    names = share.locator("a").all_inner_texts()
    assert names == [
        "X",
        "Facebook",
        "WhatsApp",
        "LinkedIn",
        "Telegram",
        "Email",
        "Copy link",
    ]

    assert page.locator(".comments__heading a").inner_text() == "Leave a Comment"
    assert page.locator(".comments__count").inner_text() == "3 Comments"
    assert page.locator(".comment-list .comment").count() == 3
    assert page.locator("#respond h3").inner_text() == "Leave a Reply"
    notes = page.locator(".comment-form__notes").inner_text()
    assert (
        notes
        == "Your email address will not be published. Required fields are marked *"
    )
    for label in ["Name *", "Email *", "Website", "Comment *"]:
        assert (
            page.get_by_text(label, exact=True).first.is_visible() or label == "Website"
        )
    assert page.get_by_role("textbox", name="Website", exact=True).is_visible()

    # An empty form comes back with a message at each required field.
    page.get_by_role("button", name="Post Comment").click()
    assert page.locator("#id_name_error").inner_text() == "Please enter your name."
    assert (
        page.locator("#id_email_error").inner_text()
        == "Please enter your email address."
    )
    assert page.locator("#id_body_error").inner_text() == "Please write a comment."

    page.get_by_role("textbox", name="Name", exact=True).fill("Zainab Rafiq")
    page.get_by_role("textbox", name="Email", exact=True).fill("zainab@readers.example")
    page.get_by_role("textbox", name="Comment").fill(
        "Good to see a date for the pipe works at last."
    )
    page.get_by_role("button", name="Post Comment").click()
    assert "awaiting moderation" in page.locator("#comment-status").inner_text()
    assert page.locator(".comments__count").inner_text() == "3 Comments"
    assert Comment.objects.get(name="Zainab Rafiq").status == Comment.Status.PENDING

    # A moderator approves it in the Wagtail admin.
    admin = context.new_page()
    admin.goto(f"{demo_site.url}/admin/login/")
    admin.get_by_label("Username").fill("chief")
    admin.get_by_label("Password").fill("a-test-password-9")
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(re.compile(r"/admin/$"))
    admin.get_by_role("link", name="Comments").first.click()
    row = admin.locator("tr", has_text="Zainab Rafiq")
    # The queue comes back with the message: wait for that page, not this one's
    # (still empty) message area.
    with admin.expect_navigation():
        row.get_by_role("button", name="Approve").click()
    assert "approved" in admin.locator(".messages").inner_text()

    page.goto(article_url)
    assert page.locator(".comments__count").inner_text() == "4 Comments"
    newest = page.locator(".comment-list .comment").last
    assert "Zainab Rafiq" in newest.inner_text()
    assert "zainab@readers.example" not in page.content()

    page.wait_for_load_state("networkidle")
    public_hosts = hosts - {urlsplit(demo_site.url).netloc}
    assert public_hosts == set(), f"third-party requests: {public_hosts}"
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_article_fits_a_360px_phone(browser, demo_site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ["/", "/pakistan/", "/pakistan/capital-water-plan/"]:
        page.goto(f"{demo_site.url}{path}", wait_until="networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 360, (path, overflow)
    context.close()
