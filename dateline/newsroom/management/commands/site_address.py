from django.core.management.base import BaseCommand

from dateline.newsroom.addresses import set_default_site_address


class Command(BaseCommand):
    help = (
        "Set the address readers reach the site at (the default Wagtail site's host "
        "and port): every absolute URL the site writes starts there. Port 443 means "
        "https."
    )

    def add_arguments(self, parser):
        parser.add_argument("host", help="e.g. news.example.com")
        parser.add_argument("port", type=int, nargs="?", default=443)

    def handle(self, host, port, **options):
        site = set_default_site_address(host, port)
        self.stdout.write(f"Site address: {site.root_url}/")
