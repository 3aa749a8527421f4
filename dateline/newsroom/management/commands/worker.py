import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ... import scheduler


class Command(BaseCommand):
    help = (
        "Run scheduled publishing and daily upkeep in the foreground, for deployments "
        "that keep this work out of the web processes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, once=False, **options):
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
        running = {"on": True}
        signal.signal(signal.SIGTERM, lambda *_: running.update(on=False))
        try:
            while running["on"]:
                started = time.monotonic()
                scheduler.tick()
                close_old_connections()
                time.sleep(max(0.0, every - (time.monotonic() - started)))
        except KeyboardInterrupt:
            pass
        self.stdout.write("Worker stopped.")
