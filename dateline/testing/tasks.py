"""The task queue in tests: run what is ready, as the worker would, in this process;
and a task that takes a while, to kill a worker in the middle of it."""

import time
from pathlib import Path

from django.core.mail import EmailMessage
from django_tasks import task

from dateline.worker.mail import send_once
from dateline.worker.queue import run_ready


def run_tasks() -> int:
    """Run every ready task of the database queue; how many ran."""
    return run_ready(worker_id="test-worker")


@task()
def slow_mail(key: str, to: str, folder: str, before: float, after: float) -> bool:
    """Send one e-mail for ``key``, slowly: ``<key>.started`` and ``<key>.sent``
    appear in ``folder`` as it gets there."""
    Path(folder, f"{key}.started").touch()
    time.sleep(before)
    sent = send_once(key, EmailMessage(f"Slow mail {key}", "Once.", to=[to]))
    Path(folder, f"{key}.sent").touch()
    time.sleep(after)
    return sent
