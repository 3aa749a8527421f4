from django.core.management.base import BaseCommand

from dateline.syndication.webhooks import deliver_due_webhooks


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due, retrying failed ones."

    def handle(self, *args, **options):
        self.stdout.write(str(deliver_due_webhooks()))
