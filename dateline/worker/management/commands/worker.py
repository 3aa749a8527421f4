import os
import signal
import threading

from django.core.management.base import BaseCommand

from ... import conf, queue, runner


class Command(BaseCommand):
    help = (
        "Run background work in the foreground: the task queue, scheduled publishing, "
        "embargo lifts and the periodic jobs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="queue what is due, run what is ready, then exit",
        )
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one goes away",
        )

    def handle(self, *args, once=False, exit_with_parent=False, **options):
        if once:
            ran = runner.run_once()
            self.stdout.write(f"Done: {ran} task(s) run.")
            return
        what = "the task queue and " if queue.uses_database_queue() else ""
        self.stdout.write(
            f"Worker running: {what}scheduled work every {conf.interval():g} s. "
            "Ctrl+C stops."
        )
        self.stdout.flush()
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        if exit_with_parent:
            watch_parent(stopping)
        try:
            runner.run_forever(stopping)
        except KeyboardInterrupt:
            pass
        self.stdout.write("Worker stopped.")


def watch_parent(stopping: threading.Event) -> None:
    """A server killed outright leaves no orphan worker publishing behind it."""
    parent = os.getppid()

    def watch():
        while not stopping.wait(1.0):
            if os.getppid() != parent:
                stopping.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
