"""Indexing an article costs the same however big the archive is."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Avg, F
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from dateline.newsroom.generate import (
    ArticleGenerator,
    index_articles,
    insert_articles,
    sections_and_authors,
)
from dateline.newsroom.models import ArticlePage, HomePage
from dateline.search.models import TitleLengths
from dateline.search.queries import search_articles
from dateline.search.tasks import refresh_title_norms
from dateline.testing.factories import make_article
from dateline.testing.tasks import run_tasks
from dateline.worker.periodic import declared

pytestmark = pytest.mark.django_db
INDEX_TABLE = IndexEntry._meta.db_table
STOCK = {"default": {"BACKEND": "wagtail.search.backends.database"}}


@pytest.fixture
def archive():
    """Grows the archive to ``n`` indexed articles, written and indexed in bulk."""
    home = HomePage.objects.get()
    sections, authors = sections_and_authors(home)
    generator = ArticleGenerator(seed=3)

    def grow(n):
        section = type(sections[0]).objects.get(pk=sections[0].pk)
        have = ArticlePage.objects.count()
        articles = insert_articles(
            generator, section, section.numchild, n - have, authors
        )
        index_articles(articles)
        return section

    return grow


def indexing_queries(article):
    with CaptureQueriesContext(connection) as context:
        get_search_backend().add(article)
    return [query["sql"] for query in context.captured_queries]


def scans(queries):
    """Queries on the index table that do not pick out entries by object id."""
    return [
        sql
        for sql in queries
        if INDEX_TABLE in sql
        and not sql.lstrip().upper().startswith("INSERT")
        and "object_id" not in sql.upper().partition("WHERE")[2].lower()
    ]


def exact_norm(entry):
    average = (
        IndexEntry.objects.annotate(n=Length("title"))
        .filter(n__gt=0)
        .aggregate(Avg("n"))["n__avg"]
    )
    length = IndexEntry.objects.annotate(n=Length("title")).get(pk=entry.pk).n
    return average / length


def titled():
    return IndexEntry.objects.annotate(n=Length("title")).filter(n__gt=0)


def entry_for(article):
    return IndexEntry.objects.get(object_id=str(article.pk))


def test_indexing_one_article_reads_only_its_own_entries_at_any_size(archive):
    section = archive(5)
    small = indexing_queries(make_article(section, title="Harbour pilots strike"))
    archive(60)
    big = indexing_queries(make_article(section, title="Harbour pilots return"))
    assert len(big) == len(small)
    assert scans(big) == []
    assert not [sql for sql in big if "AVG(" in sql.upper()]


def test_the_check_sees_the_stock_backend_scan_the_archive(archive, settings):
    """The stock backend averages every title on each add: what the test above
    would catch."""
    section = archive(5)
    settings.WAGTAILSEARCH_BACKENDS = STOCK
    queries = indexing_queries(make_article(section, title="Harbour pilots strike"))
    assert [sql for sql in scans(queries) if "AVG(" in sql.upper()]


def test_a_new_entry_gets_the_exact_norm_when_the_figures_are_fresh(archive):
    section = archive(30)
    call_command("update_index", verbosity=0)
    article = make_article(section, title="Short title")
    get_search_backend().add(article)
    assert entry_for(article).title_norm == pytest.approx(
        exact_norm(entry_for(article))
    )
    stats = TitleLengths.objects.get()
    assert stats.count == titled().count()


def test_the_periodic_job_puts_every_norm_and_the_figures_right(archive):
    section = archive(20)
    article = make_article(section, title="Flood warning for the valley")
    get_search_backend().add(article)
    IndexEntry.objects.update(title_norm=F("title_norm") * 3)
    TitleLengths.objects.update(total=1, count=1)
    assert "refresh-title-norms" in [job.name for job in declared()]
    refresh_title_norms.enqueue()
    run_tasks()
    for entry in titled()[:5]:
        assert entry.title_norm == pytest.approx(exact_norm(entry))
    stats = TitleLengths.objects.get()
    assert stats.count == titled().count()


def test_update_index_leaves_the_figures_exact(archive):
    archive(10)
    TitleLengths.objects.all().delete()
    call_command("update_index", verbosity=0)
    assert TitleLengths.objects.get().count == titled().count()


def test_generated_articles_are_found_by_search():
    out = io.StringIO()
    call_command("generate", articles=12, batch=5, stdout=out)
    assert "12/12 articles, 12 indexed" in out.getvalue()
    assert IndexEntry.objects.count() == ArticlePage.objects.count() == 12
    for article in ArticlePage.objects.all():
        assert article.pk in search_articles(article.title).ranked_ids
