import os
import signal
import threading

from django.core.management.base import BaseCommand

from ... import scheduler


class Command(BaseCommand):
    help = (
        "Run scheduled publishing and daily upkeep in the foreground, for deployments "
        "that keep this work out of the web processes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one goes away",
        )

    def handle(self, *args, once=False, exit_with_parent=False, **options):
        if once:
            ran = scheduler.tick()
            self.stdout.write(
                "Done." if ran else "Another process is at work; skipped."
            )
            return
        every = scheduler.interval()
        self.stdout.write(
            f"Worker running: scheduled work every {every:g} s. Ctrl+C stops."
        )
        self.stdout.flush()
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        if exit_with_parent:
            watch_parent(stopping)
        try:
            scheduler.run_forever(stopping)
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
