import io
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from dateline.newsroom import scheduler
from dateline.newsroom.actions import do_schedule_article
from dateline.newsroom.models import ArticlePage
from dateline.testing.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def scheduled(section, title, seconds_from_now):
    article = make_article(section, title=title, publish=False)
    return do_schedule_article(
        article, timezone.now() + timedelta(seconds=seconds_from_now)
    )


def test_tick_publishes_what_is_due_and_leaves_the_rest(client):
    section = make_section("World")
    due = scheduled(section, "Due now", 5)
    later = scheduled(section, "Tomorrow's story", 86400)
    assert not due.live and not later.live
    assert client.get("/world/").content.count(b"Due now") == 0

    wait = (due.go_live_at - timezone.now()).total_seconds()
    time.sleep(max(0.0, wait) + 0.2)  # the first story's time comes
    assert scheduler.tick() is True
    assert ArticlePage.objects.get(pk=due.pk).live
    assert not ArticlePage.objects.get(pk=later.pk).live
    assert b"Due now" in client.get("/world/").content


def test_tick_stands_aside_while_another_process_works():
    cache.add(scheduler.LOCK_KEY, "other", 60)
    assert scheduler.tick() is False
    cache.delete(scheduler.LOCK_KEY)
    assert scheduler.tick() is True


def test_daily_jobs_run_once_a_day(monkeypatch):
    ran = []
    monkeypatch.setattr(scheduler, "call_command", lambda name, **kw: ran.append(name))
    today = timezone.localdate()
    assert "erase-comment-ips" in scheduler.run_daily_jobs(today)
    assert scheduler.run_daily_jobs(today) == []
    assert "erase-comment-ips" in scheduler.run_daily_jobs(today + timedelta(days=1))
    assert ran.count("erase_comment_ips") == 2


def test_worker_once_prints_what_it_did():
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().strip() == "Done."
    cache.add(scheduler.LOCK_KEY, "other", 60)
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().strip() == "Another process is at work; skipped."
