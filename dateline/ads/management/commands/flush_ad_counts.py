from django.core.management.base import BaseCommand

from dateline.ads.actions import do_flush_counts


class Command(BaseCommand):
    help = (
        "Move ad impressions and clicks counted in the cache into the daily counts. "
        "Safe to run from cron every few minutes; does nothing when counts go "
        "straight to the database."
    )

    def handle(self, *args, **options):
        moved = do_flush_counts()
        if options["verbosity"]:
            self.stdout.write(f"{moved} ad events moved to the daily counts.")
