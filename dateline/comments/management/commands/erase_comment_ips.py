from django.core.management.base import BaseCommand

from ... import conf
from ...actions import do_erase_old_ip_addresses


class Command(BaseCommand):
    help = (
        "Forget commenters' IP addresses and browsers older than the retention period."
    )

    def handle(self, *args, **options):
        count = do_erase_old_ip_addresses()
        days = conf.ip_retention_days()
        self.stdout.write(
            f"Erased the IP address of {count} comment(s) older than {days} days."
        )
