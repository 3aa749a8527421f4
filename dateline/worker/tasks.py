"""The worker's own upkeep."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import conf
from .models import DoneOnce


@task()
def prune_finished() -> int:
    """Forget finished tasks and done-once keys older than ``keep_days()``."""
    before = timezone.now() - timedelta(days=conf.keep_days())
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    keys, _ = DoneOnce.objects.filter(done_at__lt=before).delete()
    return tasks + keys
