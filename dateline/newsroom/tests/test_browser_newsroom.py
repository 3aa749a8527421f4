"""The newsroom in Chromium: a Contributor drafts and submits, an Editor schedules it
through review, the scheduler publishes it, and a correction reaches readers."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Revision

from dateline.newsroom.models import ArticlePage
from dateline.testing.browser import chromium, log_in, make_staff
from dateline.testing.factories import make_author, make_section
from dateline.worker.runner import run_once

pytestmark = [pytest.mark.browser]


@pytest.fixture
def newsroom(live_server):
    section = make_section("World")
    make_author("Farah Desk")
    for name, role in [("cora", "Contributors"), ("eddie", "Editors")]:
        make_staff(name, role, email=f"{name}@newsroom.example")
    return live_server, section


@pytest.fixture
def browser(newsroom):
    with chromium() as browser:
        yield browser


def footer_action(page, name):
    """Click an action of the editor's footer and wait for the page it leads to:
    "networkidle" alone can be reached before the form's POST has even started."""
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def move_schedule_to_now(article):
    """The clock reaches the scheduled minute (the admin schedules to the minute)."""
    past = timezone.now() - timedelta(seconds=1)
    revision = Revision.page_revisions.get(
        object_id=str(article.pk), approved_go_live_at__isnull=False
    )
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_draft_review_schedule_publish_and_correct(browser, newsroom):
    base, section = newsroom
    writer = log_in(browser, base, "cora")
    writer.goto(f"{base}/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/")
    writer.locator("#id_title").fill("Quetta trains run again")
    writer.locator("select[name='bylines-0-author']").select_option(label="Farah Desk")
    writer.locator("#id_dateline_place").fill("Quetta")
    body = writer.locator("#panel-child-content-body-section")
    body.locator("button.c-sf-add-button").first.click()
    writer.get_by_role("option", name="Paragraph").click()
    body.locator("[contenteditable=true]").first.click()
    writer.keyboard.type("Passenger trains will run again from Monday, officials said.")
    # The editor writes its content to the form a moment after typing stops.
    writer.wait_for_function(
        "document.querySelector(\"input[name='body-0-value']\").value.includes('Monday')"
    )
    footer_action(writer, "Submit to Editor review")
    writer.wait_for_load_state("networkidle")
    article = ArticlePage.objects.get(slug="quetta-trains-run-again")
    assert not article.live
    assert "from Monday" in str(article.get_latest_revision_as_object().body)

    editor = log_in(browser, base, "eddie")
    assert editor.get_by_text("Quetta trains run again").first.is_visible()
    editor.goto(f"{base}/admin/pages/{article.pk}/edit/")
    go_live = timezone.localtime() + timedelta(minutes=2)
    editor.get_by_role("button", name="Status").click()
    editor.get_by_role("button", name="Set schedule").click()
    go_live_at = editor.locator("input[name=go_live_at]")
    go_live_at.fill(go_live.strftime("%Y-%m-%d %H:%M"))
    # The date pickers open over the dialog's buttons on a small window: the editor
    # saves from the keyboard.
    save = editor.get_by_role("button", name="Save schedule")
    save.focus()
    save.press("Enter")
    footer_action(editor, "Approve and Publish")
    editor.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert not article.live
    assert Revision.page_revisions.filter(
        object_id=str(article.pk), approved_go_live_at__isnull=False
    ).exists()

    move_schedule_to_now(article)
    run_once()
    article.refresh_from_db()
    assert article.live
    reader = browser.new_page()
    reader.goto(f"{base}{article.url}")
    assert reader.locator("h1").inner_text() == "Quetta trains run again"
    assert reader.locator(".dateline").inner_text().startswith("Quetta")

    editor.goto(f"{base}/admin/pages/{article.pk}/edit/")
    editor.get_by_role("button", name="Add Correction or update").click()
    editor.locator("textarea[name='corrections-0-text']").fill(
        "An earlier version gave the wrong day; trains run from Monday."
    )
    footer_action(editor, "Publish")
    # Published, the editor lands on the section's listing: wait for that, not for a
    # quiet network, which can come before the form has even been sent.
    editor.wait_for_url(lambda url: "/edit/" not in url)
    reader.goto(f"{base}{article.url}")
    note = reader.locator(".corrections .correction").first.inner_text()
    assert note.startswith("Correction:") and "wrong day" in note
    reader.goto(f"{base}/corrections/")
    assert reader.get_by_role("link", name="Quetta trains run again").is_visible()
