import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from ...generate import ArticleGenerator, insert_articles, sections_and_authors
from ...models import HomePage, OutletSettings, SectionPage


class Command(BaseCommand):
    help = "Add many generated, published articles quickly, for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-index", action="store_true", help="skip updating the search index"
        )

    def handle(self, *args, articles, batch, seed, no_index, **options):
        if articles < 1 or batch < 1:
            raise CommandError("--articles and --batch must be at least 1")
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.filter(pk=getattr(site, "root_page_id", None)).first()
        if home is None:
            raise CommandError("no home page: run 'dateline migrate' first")
        sections, authors = sections_and_authors(home)
        generator = ArticleGenerator(
            seed=seed, outlet_name=OutletSettings.for_site(site).name
        )
        started, done = time.monotonic(), 0
        self.stdout.write(
            f"Generating {articles:,} articles in {len(sections)} sections..."
        )
        while done < articles:
            count = min(batch, articles - done)
            section = sections[(done // batch) % len(sections)]
            section = SectionPage.objects.get(pk=section.pk)  # fresh numchild
            insert_articles(generator, section, section.numchild, count, authors)
            done += count
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"  {done:,}/{articles:,} articles ({rate:,.0f}/s)")
        if not no_index:
            self.stdout.write("Updating the search index...")
            call_command("update_index", verbosity=0)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Generated {articles:,} articles in {seconds:.1f} s.")
        )
