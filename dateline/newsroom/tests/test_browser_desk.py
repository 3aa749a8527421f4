"""The news desk in Chromium: an Editor's dashboard lists the stories under embargo
and scheduled with their times, an embargoed story is never shown as live, and a
Reporter's new story starts with their own byline."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.newsroom.actions import do_schedule_article
from dateline.newsroom.models import ArticlePage
from dateline.testing.browser import chromium, log_in, make_staff
from dateline.testing.factories import make_article, make_section

pytestmark = [pytest.mark.browser]


@pytest.fixture
def desk(live_server):
    section = make_section("World")
    make_staff("eddie", "Editors", first_name="Eddie", last_name="Ng")
    make_staff("rana", "Reporters", first_name="Rana", last_name="Aziz")
    return live_server, section


@pytest.fixture
def browser(desk):
    with chromium() as browser:
        yield browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_sees_the_desk_and_an_embargo_is_never_live(browser, desk):
    base, section = desk
    story = make_article(section, title="Census results")
    until = timezone.now() + timedelta(hours=3)
    ArticlePage.objects.filter(pk=story.pk).update(embargo_until=until)
    later = timezone.now() + timedelta(days=1)
    do_schedule_article(make_article(section, title="Budget day", publish=False), later)

    page = log_in(browser, base, "eddie")
    panel = page.locator("#news-desk-section")
    assert panel.is_visible()
    embargoed = panel.locator("li").filter(has_text="Census results")
    assert "EMBARGOED until" in embargoed.inner_text()
    scheduled = panel.locator("li").filter(has_text="Budget day")
    assert "goes live" in scheduled.inner_text()
    assert scheduled.locator("time").is_visible()

    embargoed.get_by_role("link", name="Census results").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{story.pk}/edit/"))
    header = page.locator("header").first
    # Wagtail's status tags are set in capitals.
    assert "EMBARGOED UNTIL" in header.inner_text().upper()

    page.goto(f"{base}/admin/pages/{section.pk}/")
    row = page.locator("tbody tr").filter(has_text="Census results")
    assert "EMBARGOED UNTIL" in row.inner_text().upper()
    assert "live" not in row.locator(".w-status").first.inner_text().lower()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reporters_new_story_starts_with_their_byline(browser, desk):
    base, section = desk
    page = log_in(browser, base, "rana")
    page.goto(f"{base}/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/")
    byline = page.locator("select[name='bylines-0-author']")
    chosen = byline.evaluate("s => s.options[s.selectedIndex].text")
    assert chosen == "Rana Aziz"
