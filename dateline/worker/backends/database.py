"""django-tasks-db's database queue, with a few named tasks run in the caller.

Wagtail queues its proxy purges as tasks. Through the queue a published story would
reach readers behind the caching proxy only once a worker took the purge, a second or
more later, and never where no worker runs; Dateline promises it on the very next
request (docs/operations.md). So the purge runs where it is asked for, as it did before
the queue, and everything else is queued. The list is the backend's ``RUN_AT_ONCE``
option (task paths). Another engine's backend queues everything (2026-12-03).
"""

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend as QueueBackend

RUN_AT_ONCE = ("wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task",)


class DatabaseBackend(QueueBackend):
    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.run_at_once = set(self.options.get("RUN_AT_ONCE", RUN_AT_ONCE))
        self.immediate = ImmediateBackend(alias, params)

    def enqueue(self, task, args, kwargs):
        if task.module_path in self.run_at_once:
            return self.immediate.enqueue(task, args, kwargs)
        return super().enqueue(task, args, kwargs)
