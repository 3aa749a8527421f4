"""Running the database queue, and the promises its tasks rely on.

django-tasks-db runs a task at most once per claim: a worker killed mid-task leaves
its row RUNNING for ever. Dateline's worker keeps a heartbeat row while it lives and,
every round, hands back to the queue any task whose worker has gone quiet
(:func:`recover_abandoned`). So the queue is at least once, and every task is written
to be idempotent: its effect is keyed (``mail.send_once``, ``DoneOnce``), so a
second run finds the work done.

The claiming and running themselves are django-tasks-db's (``get_locked``,
``claim``, ``Worker.run_task``); this module adds the heartbeat and the recovery,
which the library does not have (2026-12-03).
"""

import logging
import os
import socket
from datetime import timedelta

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import conf
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def uses_database_queue() -> bool:
    """Whether tasks go to django-tasks-db, which ``dateline worker`` then runs;
    another engine (RQ, Celery) brings workers of its own."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id: str, now=None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": now or timezone.now(),
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_abandoned(now=None) -> int:
    """Put back in the queue every running task whose worker has not been heard
    from for ``stale_after()`` seconds. Returns how many."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(
            seen_at__gte=now - timedelta(seconds=conf.stale_after())
        ).values_list("worker_id", flat=True)
    )
    recovered = 0
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        # Only if nobody finished or re-claimed it meanwhile.
        recovered += DBTaskResult.objects.filter(
            id=row.id, status=TaskResultStatus.RUNNING, started_at=row.started_at
        ).update(status=TaskResultStatus.READY)
        logger.warning("task %s lost its worker; it goes back to the queue", row.id)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return recovered


def _runner(worker_id: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def claim_next(worker_id: str) -> DBTaskResult | None:
    """Take the next ready task, as django-tasks-db's own worker does; None when
    there is none, or SQLite is busy with another writer (the next round tries)."""
    ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
    try:
        with exclusive_transaction(ready.db):
            row = ready.get_locked()
            if row is not None:
                row.claim(worker_id)
    except OperationalError as error:
        if not is_locked_database_exception(error):
            raise
        return None
    return row


def run_one(worker_id: str) -> bool:
    """Run the next ready task; False when there was none."""
    row = claim_next(worker_id)
    if row is None:
        return False
    _runner(worker_id).run_task(row)
    return True


def run_ready(worker_id: str | None = None, limit: int = 1000) -> int:
    """Run ready tasks until none is left (or ``limit``); how many ran."""
    worker_id = worker_id or new_worker_id()
    ran = 0
    while ran < limit and run_one(worker_id):
        ran += 1
    return ran


def enqueue_with_commit(task, *args, **kwargs) -> None:
    """Queue ``task`` as part of the current transaction.

    With the database queue the task row commits or rolls back with the change that
    asked for it, so a stored comment never lacks its e-mail and no e-mail goes out
    for a change that was undone. An outside engine only hears of it after commit.
    """
    if uses_database_queue():
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def enqueue_later(task, seconds: float, *args, **kwargs) -> bool:
    """Queue ``task`` to run no sooner than ``seconds`` from now; False, and nothing
    queued, where the task engine cannot hold a task back (running it at once would
    defeat the wait)."""
    later = task.using(run_after=timezone.now() + timedelta(seconds=seconds))
    if not later.get_backend().supports_defer:
        return False
    later.enqueue(*args, **kwargs)
    return True


def retry_later(task, attempt: int, *args, **kwargs) -> bool:
    """Queue ``task`` again after a failure, waiting longer each time; False once
    ``max_attempts()`` is reached (the failure is logged and given up)."""
    if attempt >= conf.max_attempts():
        logger.error("%s gave up after %d attempts", task.name, attempt)
        return False
    wait = timedelta(seconds=conf.retry_seconds() * 2 ** (attempt - 1))
    later = task.using(run_after=timezone.now() + wait)
    if not later.get_backend().supports_defer:
        later = task
    later.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True
