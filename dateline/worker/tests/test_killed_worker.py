"""Real ``dateline worker`` processes on a database of their own: one killed with
SIGKILL mid-task (the task runs again in another worker and its e-mail reaches a
real SMTP server once), and two at once (each periodic slot queued once)."""

import signal
import subprocess
import sys

import pytest

from dateline.testing.smtp import SMTPServer
from dateline.testing.stack import process_environment, wait_for

pytestmark = pytest.mark.own_stack

DATELINE = [sys.executable, "-m", "dateline.cli"]

ENQUEUE = """
from dateline.testing.tasks import slow_mail
slow_mail.enqueue({key!r}, "desk@example.com", {folder!r}, 3, 3)
"""

STATUS = """
from django_tasks_db.models import DBTaskResult
for row in DBTaskResult.objects.filter(task_path__endswith="slow_mail"):
    print("task", row.args_kwargs["args"][0], row.status, len(row.worker_ids))
"""


def data_dir(folder):
    path = folder / "data"
    path.mkdir(exist_ok=True)  # as an operator makes it before the first command
    return path


def environment(tmp_path, smtp):
    env = process_environment()
    env.update(
        DATELINE_DATA_DIR=str(data_dir(tmp_path)),
        SECRET_KEY="k" * 50,
        EMAIL_HOST=smtp.host,
        EMAIL_PORT=str(smtp.port),
        DATELINE_SCHEDULER_INTERVAL="1",
        DATELINE_WORKER_STALE_AFTER="2",
    )
    return env


def dateline(env, *args):
    done = subprocess.run(
        [*DATELINE, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_worker(env, log):
    return subprocess.Popen(
        [*DATELINE, "worker"], env=env, stdout=log.open("a"), stderr=subprocess.STDOUT
    )


def kill(process):
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def statuses(env):
    lines = dateline(env, "shell", "-c", STATUS).splitlines()
    rows = [line.split()[1:] for line in lines if line.startswith("task ")]
    return {key: (status, int(runs)) for key, status, runs in rows}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(environment, SMTP server, folder) of a migrated database and a mail server."""
    folder = tmp_path_factory.mktemp("workers")
    with SMTPServer() as smtp:
        env = environment(folder, smtp)
        dateline(env, "migrate", "-v0")
        yield env, smtp, folder


def test_killed_worker_task_runs_again_and_mails_once(site):
    env, smtp, tmp_path = site
    folder = tmp_path / "marks"
    folder.mkdir()
    log = tmp_path / "killed.log"
    # Killed before its e-mail went out.
    dateline(env, "shell", "-c", ENQUEUE.format(key="before", folder=str(folder)))
    first = start_worker(env, log)
    wait_for((folder / "before.started").exists, "the first task to start")
    kill(first)
    assert smtp.messages == []

    # Killed after its e-mail went out, before the task was marked done.
    second = start_worker(env, log)
    dateline(env, "shell", "-c", ENQUEUE.format(key="after", folder=str(folder)))
    wait_for((folder / "after.sent").exists, "the second task to send")
    kill(second)

    third = start_worker(env, log)
    try:
        wait_for(
            lambda: (
                statuses(env)
                == {"before": ("SUCCESSFUL", 2), "after": ("SUCCESSFUL", 2)}
            ),
            "both tasks to finish on a second run",
        )
    finally:
        third.terminate()
        third.wait(timeout=30)
    subjects = sorted(message.subject for message in smtp.messages)
    assert subjects == ["Slow mail after", "Slow mail before"], log.read_text()


SLOTS = """
from django_tasks_db.models import DBTaskResult
from dateline.worker.models import DoneOnce
tasks = DBTaskResult.objects.filter(task_path__endswith="publish_scheduled_pages")
slots = DoneOnce.objects.filter(key__startswith="periodic:publish-scheduled:")
print("slots", slots.count(), tasks.count(), tasks.exclude(status="SUCCESSFUL").count())
"""


def slots(env):
    [line] = [
        x for x in dateline(env, "shell", "-c", SLOTS).splitlines() if "slots" in x
    ]
    taken, queued, unfinished = map(int, line.split()[1:])
    return taken, queued, unfinished


def test_two_workers_at_once_queue_each_slot_once(site):
    env, _, tmp_path = site
    log = tmp_path / "two.log"
    before, _, _ = slots(env)
    workers = [start_worker(env, log), start_worker(env, log)]
    try:
        wait_for(lambda: done_with_slots(env, before + 4), "four more slots, all run")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    taken, queued, _ = slots(env)
    assert queued == taken, log.read_text()


def done_with_slots(env, count):
    taken, _, unfinished = slots(env)
    return taken >= count and unfinished == 0
