"""Time-driven work without cron: scheduled publishing, and daily upkeep.

``dateline worker`` runs :func:`run_forever`; ``dateline serve`` and ``dateline demo``
start that worker as a child process beside the web server. It is a process, not a
thread of the server, because the server forks its web workers: a fork taken while a
scheduler thread holds a lock (logging, cache, import) leaves that lock held forever in
the child, and the web worker hangs. Every tick takes a lock in the shared cache first,
so several processes never do the same work twice.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

LOCK_KEY = "dateline:scheduler:lock"
EMBARGO_KEY = "dateline:scheduler:embargo-checked"


@dataclass(frozen=True)
class DailyJob:
    """A management command run once a day by whichever process gets there first."""

    name: str
    command: str


_daily_jobs: list[DailyJob] = []

# Functions every tick calls after publishing (webhook deliveries, counter flushes).
# Apps append to it in their AppConfig.ready().
tick_hooks: list = []


def register_daily_job(name: str, command: str) -> None:
    if all(job.name != name for job in _daily_jobs):
        _daily_jobs.append(DailyJob(name, command))


def interval() -> float:
    return float(getattr(settings, "DATELINE_SCHEDULER_INTERVAL", 15))


def publish_due() -> None:
    """Publish revisions whose scheduled time has come, and unpublish expired pages."""
    call_command("publish_scheduled", verbosity=0)


def lift_embargoes(now=None) -> int:
    """Refresh caches for articles whose embargo ended since the last look."""
    from dateline.caching.tags import invalidate

    from .models import ArticlePage

    now = now or timezone.now()
    since = cache.get(EMBARGO_KEY) or now - timedelta(days=1)
    lifted = list(
        ArticlePage.objects.live().filter(
            embargo_until__gt=since, embargo_until__lte=now
        )
    )
    for article in lifted:
        invalidate(article.cache_tags())
    cache.set(EMBARGO_KEY, now, timeout=None)
    return len(lifted)


def run_daily_jobs(today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    ran = []
    for job in _daily_jobs:
        if cache.add(f"dateline:scheduler:daily:{job.name}:{today}", 1, 2 * 86400):
            call_command(job.command, verbosity=0)
            ran.append(job.name)
    return ran


def tick() -> bool:
    """Do whatever is due. False when another process holds the lock."""
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, timeout=max(30, int(interval() * 4))):
        return False
    try:
        publish_due()
        lift_embargoes()
        for hook in list(tick_hooks):
            try:
                hook()
            except Exception:  # one failing job must not stop publishing
                logger.exception("scheduler hook %r failed", hook)
        run_daily_jobs()
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)
    return True


def run_forever(stopping) -> None:
    """Tick every ``interval()`` seconds until ``stopping`` (an Event) is set."""
    while not stopping.is_set():
        started = time.monotonic()
        try:
            tick()
        except Exception:  # keep the loop alive; the next tick tries again
            logger.exception("scheduled work failed")
        finally:
            close_old_connections()  # a database restart must not end the loop
        stopping.wait(max(0.0, interval() - (time.monotonic() - started)))
