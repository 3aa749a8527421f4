"""The sitemap index's months (``ArchiveMonth``) follow every change a reader or a
search engine would see, and the index reads them instead of the archive."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from dateline.newsroom.actions import do_publish_article
from dateline.newsroom.models import ArticlePage, HomePage
from dateline.newsroom.tasks import refresh_lifted_embargoes
from dateline.syndication import queries
from dateline.syndication.actions import do_rebuild_archive_months
from dateline.syndication.models import ArchiveMonth, NoIndexPage
from dateline.syndication.receivers import months_after_migrate
from dateline.testing.factories import home_page, make_article, make_section
from dateline.testing.tasks import run_tasks

from .helpers import age, queries_for
from .test_sitemaps import first_published, index_locations, path_of

pytestmark = pytest.mark.django_db

THIS_MONTH = f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml"


def kept():
    """{month: count} as kept for the default site."""
    return {f"{row.month:%Y-%m}": row.count for row in queries.kept_months(home_page())}


def counted():
    """{month: count} as counted over the whole archive now."""
    return {
        f"{row['month']:%Y-%m}": row["count"]
        for row in queries.article_months(home_page())
    }


def listed(client):
    return [path_of(url) for url in index_locations(client)]


@pytest.fixture
def world(outlet):
    return make_section("World")


def test_publishing_counts_the_story_in_its_month_and_the_index_lists_it(client, world):
    assert THIS_MONTH not in listed(client)
    make_article(world)
    make_article(world)
    month = f"{timezone.localtime():%Y-%m}"
    assert kept() == counted() == {month: 2}
    assert listed(client)[0] == THIS_MONTH
    draft = make_article(world, publish=False)
    assert kept() == {month: 2}
    do_publish_article(draft)
    assert kept() == {month: 3}


def test_withdrawing_or_deleting_the_last_story_drops_its_month(client, world):
    first, second = make_article(world), make_article(world)
    first.unpublish()
    assert kept() == counted() == {f"{timezone.localtime():%Y-%m}": 1}
    ArticlePage.objects.get(pk=second.pk).delete()
    assert kept() == counted() == {}
    assert THIS_MONTH not in listed(client)
    assert client.get(THIS_MONTH).status_code == 404


def test_hiding_a_story_from_search_engines_drops_it_and_showing_brings_it_back(
    client, world
):
    story = make_article(world)
    hidden = NoIndexPage.objects.create(page=story, reason="A court order")
    assert kept() == {}
    assert THIS_MONTH not in listed(client)
    hidden.delete()
    assert kept() == counted() == {f"{timezone.localtime():%Y-%m}": 1}
    assert THIS_MONTH in listed(client)


def test_an_embargoed_story_counts_once_its_embargo_lifts(client, world):
    make_article(world, embargo_until=timezone.now() + timedelta(minutes=5))
    assert kept() == {}
    assert THIS_MONTH not in listed(client)
    # Time passes: the embargo is over, though nothing was published since.
    ArticlePage.objects.update(embargo_until=timezone.now() - timedelta(seconds=1))
    assert kept() == {}
    refresh_lifted_embargoes(now=timezone.now())
    assert kept() == counted() == {f"{timezone.localtime():%Y-%m}": 1}


def test_a_restricted_story_leaves_the_index_and_a_restricted_section_too(
    client, world
):
    story = make_article(world)
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.LOGIN
    )
    assert kept() == {}
    restriction.delete()
    assert kept() == {f"{timezone.localtime():%Y-%m}": 1}
    # A section reaches every story under it: the worker recounts.
    PageViewRestriction.objects.create(
        page=world, restriction_type=PageViewRestriction.LOGIN
    )
    assert run_tasks() >= 1
    assert kept() == counted() == {}
    assert THIS_MONTH not in listed(client)


def test_a_story_moved_under_a_restricted_section_is_recounted(client, world):
    closed = make_section("Members")
    PageViewRestriction.objects.create(
        page=closed, restriction_type=PageViewRestriction.LOGIN
    )
    run_tasks()
    story = make_article(world)
    assert kept() == {f"{timezone.localtime():%Y-%m}": 1}
    story.move(closed, pos="last-child")
    assert kept() == counted() == {}


def test_a_section_moved_to_another_site_takes_its_months_along(client, world):
    make_article(world)
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Other outlet", slug="other-outlet")
    )
    other = Site.objects.create(hostname="other.example", root_page=other_home)
    run_tasks()
    world.move(other_home, pos="last-child")
    assert run_tasks() >= 1
    month = date(*timezone.localdate().timetuple()[:2], 1)
    assert kept() == {}
    assert [(row.month, row.count) for row in queries.kept_months(other_home)] == [
        (month, 1)
    ]
    assert other.root_page_id == other_home.pk


def test_a_rebuild_mends_rows_written_around_the_signals(client, world):
    story = make_article(world)
    ArticlePage.objects.filter(pk=story.pk).update(
        first_published_at=timezone.now() - timedelta(days=400)
    )
    assert kept() != counted()
    months = do_rebuild_archive_months()
    assert months == 1
    assert kept() == counted()
    assert len(kept()) == 1


def test_the_first_migration_counts_an_archive_that_had_stories(client, world):
    make_article(world)
    ArchiveMonth.objects.all().delete()
    months_after_migrate(sender=None)
    assert kept() == counted() == {f"{timezone.localtime():%Y-%m}": 1}


def test_generate_recounts_the_months_and_says_so(client, outlet):
    out = io.StringIO()
    call_command("generate", articles=30, stdout=out)
    assert "Recounted the sitemap index's months:" in out.getvalue()
    assert kept() == counted()
    assert sum(kept().values()) == 30


def test_the_index_reads_as_many_queries_for_many_months_as_for_one(client, world):
    make_article(world)
    one = queries_for(client, "/sitemap.xml")
    for months_back in range(1, 13):
        age(make_article(world), hours=24 * 31 * months_back)
    assert len(kept()) >= 12
    assert queries_for(client, "/sitemap.xml") == one


def test_an_import_recounts_the_months_of_the_dates_it_wrote(client, world):
    story = make_article(world)
    first_published(story, 2019, 4)
    assert kept() == {"2019-04": 1}
    assert "/sitemap-articles-2019-04.xml" in listed(client)


def test_a_big_month_is_recounted_by_the_worker_and_its_lastmod_moves_at_once(
    client, world, settings
):
    settings.DATELINE_ARCHIVE_RECOUNT_AT_ONCE = 1
    settings.DATELINE_SITEMAP_LIMIT = 2
    settings.DATELINE_PAGE_CACHE = True
    month = f"{timezone.localtime():%Y-%m}"
    make_article(world)
    make_article(world)
    run_tasks()
    assert kept() == {month: 2}
    assert listed(client).count(THIS_MONTH) == 1
    assert f"{THIS_MONTH}?p=2" not in listed(client)

    # Two stories are more than this month may recount within a publish.
    third = make_article(world)
    row = ArchiveMonth.objects.get(root=home_page())
    assert (row.count, row.lastmod) == (2, third.last_published_at)
    assert f"{THIS_MONTH}?p=2" not in listed(client)
    assert run_tasks() >= 1
    assert kept() == counted() == {month: 3}
    # The index the page cache kept after the publish is retired by the recount.
    assert f"{THIS_MONTH}?p=2" in listed(client)

    # A story the index leaves out moves nothing at once; the worker recounts.
    embargoed = make_article(world, embargo_until=timezone.now() + timedelta(hours=1))
    assert ArchiveMonth.objects.get(root=home_page()).lastmod == third.last_published_at
    assert embargoed.last_published_at > third.last_published_at
    third.unpublish()
    assert kept() == {month: 3}
    run_tasks()
    assert kept() == counted() == {month: 2}
    assert f"{THIS_MONTH}?p=2" not in listed(client)
