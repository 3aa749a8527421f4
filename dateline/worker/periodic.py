"""Jobs the worker queues at an interval: scheduled publishing, embargo lifts, ad
count flushes, the daily upkeep.

Each app declares its own in its ``wagtail_hooks.py``::

    @hooks.register("register_periodic_tasks")
    def periodic_tasks():
        every = timedelta(minutes=1)
        return [Periodic("flush-ad-counts", tasks.flush_ad_counts, every)]

Time is cut into slots of each job's length, counted from the Unix epoch in UTC (a
daily job's slot starts at midnight UTC). Whichever worker first sees a new slot
takes it by inserting a ``DoneOnce`` row with the slot in its key, in the same
transaction as the queued task: two workers never queue one slot twice, and a slot
is never taken without its task. Django's task framework has no periodic tasks of
its own, and the packages that add them keep a schedule of their own in the
database (2026-12-03); this is the few lines it takes on top of ``DoneOnce``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail import hooks

from .models import DoneOnce

HOOK = "register_periodic_tasks"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    """Queue ``task`` (no arguments) once every ``every``."""

    name: str
    task: object
    every: timedelta

    def slot(self, now: datetime) -> datetime:
        """The start of the slot that ``now`` falls in."""
        length = max(self.every, timedelta(seconds=1))
        return EPOCH + ((now - EPOCH) // length) * length

    def key(self, now: datetime) -> str:
        return f"periodic:{self.name}:{self.slot(now).isoformat()}"


def declared() -> list[Periodic]:
    """Every app's periodic jobs, from the ``register_periodic_tasks`` hook."""
    jobs = []
    for declare in hooks.get_hooks(HOOK):
        jobs.extend(declare())
    return jobs


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Queue each job whose current slot nobody has taken; their names."""
    now = now or timezone.now()
    return [job.name for job in declared() if take_slot(job, now)]


def take_slot(job: Periodic, now: datetime) -> bool:
    try:
        with transaction.atomic():
            DoneOnce.objects.create(key=job.key(now), done_at=now)
            job.task.enqueue()
    except IntegrityError:
        return False  # another worker took this slot
    return True
