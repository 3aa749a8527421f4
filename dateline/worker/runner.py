"""The ``dateline worker`` loop: queue the periodic jobs when due, run the queue.

``dateline serve`` and ``dateline demo`` start the worker as a child process beside
the web server. It is a process, not a thread of the server, because the server
forks its web workers: a fork taken while a worker thread holds a lock (logging,
cache, import) leaves that lock held for ever in the child, and the web worker hangs.
Any number of workers may run, on one machine or several: periodic slots are taken
once (``periodic.py``) and tasks are claimed with row locks (django-tasks-db).
"""

import logging
import threading
import time

from django.db import close_old_connections, connection

from . import conf, queue
from .periodic import enqueue_due

logger = logging.getLogger(__name__)


def keep_beating(worker_id: str, stopping: threading.Event) -> threading.Thread:
    """A thread that renews the heartbeat while the main thread runs tasks."""

    def run():
        while not stopping.wait(conf.stale_after() / 4):
            try:
                queue.beat(worker_id)
            except Exception:  # the database may be away for a moment
                logger.exception("worker heartbeat failed")
            finally:
                close_quietly()
        connection.close()

    thread = threading.Thread(target=run, name="worker-heartbeat", daemon=True)
    thread.start()
    return thread


def close_quietly() -> None:
    """Drop connections the database broke; a database that is away must not end
    the loop (the next round connects again)."""
    try:
        close_old_connections()
    except Exception:
        logger.warning("could not close a broken database connection", exc_info=True)


def upkeep() -> None:
    """What each round does before it looks at the queue."""
    if queue.uses_database_queue():
        queue.recover_abandoned()
    enqueue_due()


def run_forever(stopping: threading.Event, worker_id: str | None = None) -> None:
    """Until ``stopping`` is set: periodic jobs every ``interval()`` seconds and,
    with the database queue, every ready task. A task under way is finished first."""
    worker_id = worker_id or queue.new_worker_id()
    runs_queue = queue.uses_database_queue()
    if runs_queue:
        keep_beating(worker_id, stopping)
    next_upkeep = 0.0
    try:
        while not stopping.is_set():
            ran = False
            try:
                if time.monotonic() >= next_upkeep:
                    if runs_queue:
                        queue.beat(worker_id)
                    upkeep()
                    next_upkeep = time.monotonic() + conf.interval()
                ran = runs_queue and queue.run_one(worker_id)
            except Exception:  # keep the loop alive; the next round tries again
                logger.exception("background work failed")
            finally:
                close_quietly()  # a database restart must not end the loop
            if not ran:
                stopping.wait(min(conf.poll_seconds(), conf.interval()))
    finally:
        if runs_queue:
            try:
                queue.forget(worker_id)
            except Exception:  # the database is away: the heartbeat goes stale instead
                logger.warning("could not sign the worker off", exc_info=True)


def run_once() -> int:
    """One round, then return: queue what is due and run what is ready (with a
    heartbeat, so no other worker takes these tasks for abandoned)."""
    upkeep()
    if not queue.uses_database_queue():
        return 0
    worker_id, done = queue.new_worker_id(), threading.Event()
    queue.beat(worker_id)
    keep_beating(worker_id, done)
    try:
        return queue.run_ready(worker_id)
    finally:
        done.set()
        queue.forget(worker_id)
