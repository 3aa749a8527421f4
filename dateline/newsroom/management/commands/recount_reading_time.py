from django.core.management.base import BaseCommand

from ...actions import do_recount_reading_time


class Command(BaseCommand):
    help = (
        "Recount every article's words and reading time, e.g. after the outlet's "
        "name (part of every dateline) or the reading rate changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        count = do_recount_reading_time(batch_size=max(1, batch))
        if options["verbosity"]:
            self.stdout.write(f"Recounted {count:,} articles.")
