import time

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from dateline.worker import statistics

from ...generate import (
    ArticleGenerator,
    Indexing,
    generated_tags,
    insert_articles,
    sections_and_authors,
)
from ...models import ArticlePage, HomePage, OutletSettings, SectionPage
from ...signals import articles_written_in_bulk


class ProgressBar:
    """One bar for the whole run, writing and indexing both counted: redrawn in
    place on a terminal, one line per batch anywhere else (logs, tests)."""

    width = 30

    def __init__(self, stdout, articles, indexing):
        self.stdout, self.articles, self.indexing = stdout, articles, indexing
        self.steps = articles * (2 if indexing else 1)
        self.started = time.monotonic()
        self.live = stdout.isatty()

    def show(self, written, indexed=0):
        done = written + indexed
        filled = self.width * done // self.steps
        bar = "#" * filled + "-" * (self.width - filled)
        rate = written / max(time.monotonic() - self.started, 1e-6)
        percent = 100 * done // self.steps
        line = f"[{bar}] {percent:3}%  {written:,}/{self.articles:,} articles"
        if self.indexing:
            line += f", {indexed:,} indexed"
        line += f" ({rate:,.0f}/s)"
        if self.live:
            self.stdout.write(f"\r{line}", ending="\n" if done == self.steps else "")
            self.stdout.flush()
        else:
            self.stdout.write(line)


class Command(BaseCommand):
    help = "Add many generated, published articles quickly, for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-index", action="store_true", help="leave the new articles unindexed"
        )

    def handle(self, *args, articles, batch, seed, no_index, **options):
        if articles < 1 or batch < 1:
            raise CommandError("--articles and --batch must be at least 1")
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.filter(pk=getattr(site, "root_page_id", None)).first()
        if home is None:
            raise CommandError("no home page: run 'dateline migrate' first")
        sections, authors = sections_and_authors(home)
        tags = generated_tags()
        generator = ArticleGenerator(
            seed=seed, outlet_name=OutletSettings.for_site(site).name
        )
        started, done = time.monotonic(), 0
        self.stdout.write(
            f"Generating {articles:,} articles in {len(sections)} sections..."
        )
        progress = ProgressBar(self.stdout, articles, indexing=not no_index)
        with Indexing() as indexing:
            while done < articles:
                count = min(batch, articles - done)
                section = sections[(done // batch) % len(sections)]
                section = SectionPage.objects.get(pk=section.pk)  # fresh numchild
                created = insert_articles(
                    generator, section, section.numchild, count, authors, tags
                )
                done += count
                if not no_index:
                    # Only the new articles, in the batches they were written in: a
                    # whole-site update_index would read the archive again.
                    indexing.add(created)
                progress.show(done, indexing.indexed)
            shown = indexing.indexed
        if indexing.indexed != shown:
            progress.show(done, indexing.indexed)
        # The archive's new size changes the best plan for its listings; SQLite
        # learns it only when asked.
        for _receiver, line in articles_written_in_bulk.send(sender=ArticlePage):
            if line:
                self.stdout.write(line)
        if statistics.refresh():
            self.stdout.write("Refreshed the database's statistics.")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {articles:,} articles in {seconds:.1f} s"
                f" ({articles / seconds:,.0f} articles/s)."
            )
        )
