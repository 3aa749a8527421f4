"""Posting, editing, pinning, approving and deleting entries, as the desk does."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import Site

from dateline.live.actions import (
    check_approve_entry,
    check_post_entry,
    do_delete_entry,
    do_edit_entry,
    do_post_entry,
    do_set_coverage,
)
from dateline.live.models import Coverage, LiveEntry
from dateline.newsroom.models import BreakingNews

pytestmark = pytest.mark.django_db


def test_an_entry_is_stored_sanitised_and_dates_the_page(live_page):
    before = live_page.last_published_at
    entry = do_post_entry(
        live_page,
        title="Polls close",
        body='<p onclick="x()">Counting <script>alert(1)</script>begins</p>',
    )
    assert entry.body == "<p>Counting begins</p>"
    live_page.refresh_from_db()
    assert live_page.last_published_at > before
    assert live_page.live_revision_id is not None  # no revision was needed


def test_an_entry_after_coverage_ended_is_refused_on_its_text(live_page):
    do_set_coverage(live_page, Coverage.ENDED)
    with pytest.raises(ValidationError) as refused:
        do_post_entry(live_page, body="<p>One more thing</p>")
    assert "Coverage has ended" in refused.value.message_dict["body"][0]
    assert not LiveEntry.objects.exists()


def test_an_entry_after_the_end_time_is_refused(live_page):
    live_page.coverage_end = timezone.now() - timedelta(minutes=1)
    live_page.save_revision().publish()
    with pytest.raises(ValidationError):
        do_post_entry(live_page, body="<p>Late</p>")


def test_a_reporters_entry_waits_for_an_editor(live_page, reporter, editor):
    entry = check_post_entry(reporter, live_page, body="<p>Turnout is high</p>")
    assert entry.approved is False
    with pytest.raises(PermissionDenied):
        check_approve_entry(reporter, entry)
    check_approve_entry(editor, entry)
    assert LiveEntry.objects.get(pk=entry.pk).approved is True


def test_an_editors_entry_is_live_at_once(live_page, editor):
    assert check_post_entry(editor, live_page, body="<p>Result</p>").approved


def test_editing_marks_the_entry_updated(live_page):
    entry = do_post_entry(live_page, body="<p>First count</p>")
    assert entry.edited_at is None
    do_edit_entry(entry, body="<p>Second count</p>")
    stored = LiveEntry.objects.get(pk=entry.pk)
    assert stored.body == "<p>Second count</p>" and stored.edited_at is not None


def test_a_key_event_can_put_up_the_breaking_banner(live_page, editor):
    entry = check_post_entry(
        editor,
        live_page,
        title="Winner declared",
        body="<p>The count is over.</p>",
        key_event=True,
        breaking=True,
    )
    banner = BreakingNews.objects.get(site=Site.objects.get(is_default_site=True))
    assert banner.text == "Winner declared"
    assert banner.link == f"{live_page.url}#entry-{entry.pk}"
    assert banner.is_showing()


def test_deleting_removes_the_row(live_page):
    entry = do_post_entry(live_page, body="<p>Wrong</p>")
    do_delete_entry(entry)
    assert not LiveEntry.objects.exists()
