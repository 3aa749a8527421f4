"""The worker's settings, read when used (defaults in base settings)."""

from django.conf import settings


def interval() -> float:
    """Seconds between two looks at the periodic jobs; scheduled publishing is
    checked this often."""
    return float(getattr(settings, "DATELINE_SCHEDULER_INTERVAL", 15))


def poll_seconds() -> float:
    """How long an idle worker waits before it looks at the queue again."""
    return float(getattr(settings, "DATELINE_WORKER_POLL", 1))


def stale_after() -> float:
    """Seconds without a heartbeat after which a worker is taken for dead and its
    task runs again."""
    return float(getattr(settings, "DATELINE_WORKER_STALE_AFTER", 60))


def retry_seconds() -> float:
    """The wait before the first retry of a failed send; it doubles each time."""
    return float(getattr(settings, "DATELINE_TASKS_RETRY_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "DATELINE_TASKS_MAX_ATTEMPTS", 8))


def keep_days() -> int:
    """Finished tasks and done-once keys older than this are pruned daily."""
    return int(getattr(settings, "DATELINE_TASKS_KEEP_DAYS", 30))
