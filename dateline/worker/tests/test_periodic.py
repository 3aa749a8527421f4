"""Periodic jobs: declared by each app, queued once per slot whoever looks."""

import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from dateline.newsroom.actions import do_schedule_article
from dateline.newsroom.models import ArticlePage
from dateline.testing.factories import make_article, make_section
from dateline.worker.models import DoneOnce
from dateline.worker.periodic import declared, enqueue_due
from dateline.worker.runner import run_once
from dateline.worker.tasks import prune_finished, refresh_statistics

pytestmark = pytest.mark.django_db


def queued(name_end):
    return DBTaskResult.objects.filter(task_path__endswith=name_end).count()


def test_each_app_declares_its_own_jobs():
    jobs = {job.name: job.task.module_path for job in declared()}
    assert jobs == {
        "publish-scheduled": "dateline.newsroom.tasks.publish_scheduled_pages",
        "expire-breaking-news": "dateline.newsroom.tasks.expire_breaking_news",
        "refresh-title-norms": "dateline.search.tasks.refresh_title_norms",
        "lift-embargoes": "dateline.newsroom.tasks.lift_embargoes",
        "erase-comment-ips": "dateline.comments.tasks.erase_old_ip_addresses",
        "comment-digest": "dateline.comments.tasks.send_moderation_digest",
        "flush-ad-counts": "dateline.ads.tasks.flush_ad_counts",
        "deliver-webhooks": "dateline.syndication.tasks.deliver_due_webhooks",
        "rebuild-archive-months": "dateline.syndication.tasks.rebuild_archive_months",
        "prune-finished-tasks": "dateline.worker.tasks.prune_finished",
        "refresh-statistics": "dateline.worker.tasks.refresh_statistics",
    }


def test_a_slot_is_queued_once_however_many_workers_look():
    noon = datetime(2026, 12, 3, 12, 0, 1, tzinfo=UTC)
    first = enqueue_due(noon)
    assert "erase-comment-ips" in first and "publish-scheduled" in first
    # A second worker, a moment later in the same slots: nothing more.
    assert enqueue_due(noon + timedelta(seconds=2)) == []
    assert queued(".erase_old_ip_addresses") == 1
    # The next slot of the short jobs; the daily job waits for tomorrow.
    later = enqueue_due(noon + timedelta(seconds=20))
    assert "publish-scheduled" in later and "erase-comment-ips" not in later
    assert "erase-comment-ips" in enqueue_due(noon + timedelta(days=1))
    assert queued(".erase_old_ip_addresses") == 2


def test_the_worker_publishes_what_is_due_and_leaves_the_rest(client, settings):
    settings.DATELINE_SCHEDULER_INTERVAL = 1
    section = make_section("World")
    due = make_article(section, title="Due now", publish=False)
    due = do_schedule_article(due, timezone.now() + timedelta(seconds=2))
    later = make_article(section, title="Tomorrow's story", publish=False)
    later = do_schedule_article(later, timezone.now() + timedelta(days=1))
    assert b"Due now" not in client.get("/world/").content

    deadline = time.monotonic() + 30
    while not ArticlePage.objects.get(pk=due.pk).live:
        assert time.monotonic() < deadline, "the scheduled story never went live"
        run_once()
        time.sleep(0.5)
    assert not ArticlePage.objects.get(pk=later.pk).live
    assert b"Due now" in client.get("/world/").content


def test_worker_once_prints_what_it_did():
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().startswith("Done: ")
    assert DBTaskResult.objects.successful().count() >= 7
    assert not DBTaskResult.objects.failed().exists()


def test_finished_tasks_and_done_keys_are_pruned_after_the_keeping_days(settings):
    enqueue_due()
    run_once()
    assert DBTaskResult.objects.successful().exists()
    settings.DATELINE_TASKS_KEEP_DAYS = 1
    assert prune_finished.call() == 0  # all younger than a day
    settings.DATELINE_TASKS_KEEP_DAYS = 0
    assert prune_finished.call() > 0
    assert not DBTaskResult.objects.finished().exists()
    assert not DoneOnce.objects.exists()


def test_the_database_statistics_are_refreshed():
    section = make_section("World")
    make_article(section, title="Counted", tags=["water"])
    assert refresh_statistics.call() is True
    assert analysed_rows("wagtailcore_page") == Page.objects.count()


def analysed_rows(table: str) -> int:
    """How many rows the database's statistics say ``table`` holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        else:
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NOT NULL",
                [table],
            )
        row = cursor.fetchone()
    assert row is not None, f"no statistics for {table}"
    return int(str(row[0]).split()[0].split(".")[0])
