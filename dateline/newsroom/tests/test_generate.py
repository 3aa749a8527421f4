import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from dateline.newsroom.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def generate(n, **options):
    out = io.StringIO()
    call_command("generate", articles=n, stdout=out, **options)
    return out.getvalue()


def test_generated_articles_are_real_published_pages(client):
    output = generate(30, batch=10)
    assert "  30/30 articles" in output and "Generated 30 articles" in output
    # The generator gathers the planner's statistics of what it wrote at once.
    assert "Refreshed the database's statistics." in output
    assert Page.find_problems() == ([], [], [], [], [])
    assert ArticlePage.objects.released().count() == 30
    article = ArticlePage.objects.first()
    response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert article.reading_minutes >= 1
    generate(5, batch=5)  # a second run continues the tree
    assert Page.find_problems() == ([], [], [], [], [])
    assert ArticlePage.objects.count() == 35


def test_generated_articles_show_on_cached_pages_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    """A bulk write retires cached listings as a publish does."""
    settings.DATELINE_PAGE_CACHE = True
    settings.DATELINE_FRAGMENT_CACHE = True
    generate(1, batch=1)
    old = set(ArticlePage.objects.values_list("pk", flat=True))
    section = SectionPage.objects.get(slug="news")
    for path in ("/", section.url):
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        generate(20, batch=20)
    # The newest of the new ones: at most one article (the old one) comes before it.
    newest = (
        ArticlePage.objects.released()
        .exclude(pk__in=old)
        .order_by("-first_published_at")
        .first()
    )
    assert newest.title in client.get("/").content.decode()
    assert newest.title in client.get(newest.section.url).content.decode()


def test_bad_arguments_are_one_clear_error():
    with pytest.raises(CommandError, match="at least 1"):
        generate(0)


def test_admin_listing_and_search_stay_flat_with_20000_articles(
    client, django_assert_num_queries
):
    generate(20, batch=20, no_index=False)
    client.force_login(get_user_model().objects.create_superuser("ed", password="pw"))
    section = SectionPage.objects.get(slug="news")
    listing = f"/admin/pages/{section.pk}/"

    def count(path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(path)
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context.captured_queries)

    baseline = count(listing)
    search_baseline = count("/admin/pages/search/?q=water")
    generate(19_980, batch=2_000, no_index=False)  # 20,000 in all
    assert ArticlePage.objects.count() == 20_000
    with django_assert_num_queries(baseline):
        client.get(listing)
    with django_assert_num_queries(search_baseline):
        response = client.get("/admin/pages/search/?q=water")
    assert response.status_code == 200


@pytest.mark.parametrize("config", [None, "english"])
def test_generated_index_entries_are_those_the_search_backend_writes(settings, config):
    """The entries built in bulk from the generator's text are the ones Wagtail's
    writer makes from the stored articles, batch by batch: every stored column
    (tsvectors, texts, FTS rows, title norms) and the running title lengths."""
    from wagtail.search.backends import get_search_backends

    from dateline.testing.search import stored_index

    backend = settings.WAGTAILSEARCH_BACKENDS["default"]
    settings.WAGTAILSEARCH_BACKENDS = {"default": {**backend, "SEARCH_CONFIG": config}}
    generate(5, batch=3)
    generated = stored_index()
    assert len(generated["entries"]) == 5
    for backend in get_search_backends():
        backend.reset_indexes()
        pks = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
        for batch in (pks[:3], pks[3:]):
            backend.add_bulk(ArticlePage, ArticlePage.objects.filter(pk__in=batch))
    assert stored_index() == generated


def test_generated_articles_are_listed_on_their_tag_pages(client):
    generate(6, batch=6)
    article = ArticlePage.objects.order_by("pk").first()
    tag = article.tags.first()
    assert tag is not None
    response = client.get(f"/tags/{tag.slug}/")
    assert response.status_code == 200
    assert article.title in response.content.decode()
