from django.core.management.base import BaseCommand, CommandError

from dateline.newsroom.models import ArticlePage

from ...loader import DemoLoader


class Command(BaseCommand):
    help = "Load the demo outlet: sections, authors, articles, comments and a house ad."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the site already has articles",
        )

    def handle(self, *args, if_empty=False, **options):
        if ArticlePage.objects.exists():
            if if_empty:
                self.stdout.write(
                    "Demo content: the site already has articles; keeping them."
                )
                return
            raise CommandError(
                "the site already has articles; demo content loads into an empty site"
            )
        self.stdout.write("Loading demo content...")
        DemoLoader(self.stdout).load()
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
