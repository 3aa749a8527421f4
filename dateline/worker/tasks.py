"""The worker's own tasks: sending queued e-mail, pruning."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import conf, statistics
from .mail import SEND_ERRORS, QueuedMessage, send_once
from .models import DoneOnce
from .queue import retry_later


@task()
def send_email(
    key: str, from_email: str, recipients: list, raw: str, attempt: int = 1
) -> bool:
    """Send a message that ``QueuedEmailBackend`` queued; retried while the server
    is away."""
    try:
        return send_once(key, QueuedMessage(from_email, recipients, raw))
    except SEND_ERRORS:
        retry_later(
            send_email,
            attempt,
            key=key,
            from_email=from_email,
            recipients=recipients,
            raw=raw,
        )
        return False


@task()
def prune_finished() -> int:
    """Forget finished tasks and done-once keys older than ``keep_days()``."""
    before = timezone.now() - timedelta(days=conf.keep_days())
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    keys, _ = DoneOnce.objects.filter(done_at__lt=before).delete()
    return tasks + keys


@task()
def refresh_statistics() -> bool:
    """The database's planner statistics, once a day (SQLite keeps none itself)."""
    return statistics.refresh()
