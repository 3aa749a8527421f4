"""Ad counts kept in the cache reach the database from the worker (docs/ads.md)."""

from django_tasks import task

from . import counting


@task()
def flush_ad_counts() -> int:
    """Move counted impressions and clicks into ``AdDailyCount``; how many.
    Safe to run twice: each counter is decremented by what was moved."""
    return counting.flush()
