"""Reads for feeds, sitemaps and page metadata. Each costs a fixed number of queries.

Everything starts from ``newsroom.queries.published_articles()``: what readers may
see (live, public, past any embargo) is decided there and only there.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from taggit.models import Tag

from dateline.caching.tags import cached
from dateline.newsroom.models import ArticleByline, ArticleTag, Author
from dateline.newsroom.queries import published_articles

from .models import ArchiveMonth, NoIndexPage

# Saving or deleting a NoIndexPage invalidates this tag (its ``cache_tags()``),
# retiring the cached list; the timeout only bounds how long a change made around
# the ORM (raw SQL, another app) goes unseen.
HIDDEN_PAGES_TAG = "noindex"
HIDDEN_PAGES_TIMEOUT = 300
# The sitemap index carries it beside "front": a recount the worker makes after a
# change was purged retires an index built from the figures before it.
ARCHIVE_MONTHS_TAG = "archive-months"


def for_feed(articles):
    """``articles`` with what a feed item shows, on top of what a listing card shows."""
    return articles.prefetch_related("tags")


def released_rows():
    """The released articles without what a card shows: for counts, dates and URLs."""
    return published_articles().select_related(None).prefetch_related(None)


def indexable(pages):
    """``pages`` less those hidden from search engines."""
    return pages.exclude(pk__in=NoIndexPage.objects.values("page_id"))


def hidden_page_ids() -> frozenset[int]:
    """Ids of the pages hidden from search engines; cached, since every page asks."""

    def build():
        return frozenset(NoIndexPage.objects.values_list("page_id", flat=True))

    return cached(
        "hidden-pages",
        build,
        [HIDDEN_PAGES_TAG],
        HIDDEN_PAGES_TIMEOUT,
        switchable=False,
    )


def is_hidden_from_search(page) -> bool:
    return page.pk in hidden_page_ids()


def article_months(root):
    """Each month with indexable articles under ``root``, newest first.

    Rows of ``month`` (an aware datetime in the current time zone), ``count`` and
    ``lastmod``, all in one query whatever the number of months.
    """
    return (
        indexable(released_rows().descendant_of(root))
        .annotate(month=TruncMonth("first_published_at"))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"), lastmod=Max("last_published_at"))
        .order_by("-month")
    )


def site_roots():
    """The root page of every site: each keeps its own months of the archive."""
    from wagtail.models import Page, Site

    return Page.objects.filter(pk__in=Site.objects.values("root_page_id"))


def month_of(article) -> date | None:
    """The first day of the month ``article`` was first published in, in the
    current time zone; None for a story never published."""
    if article.first_published_at is None:
        return None
    return timezone.localtime(article.first_published_at).date().replace(day=1)


def month_figures(root, month: date) -> dict:
    """``count`` and ``lastmod`` of the indexable articles under ``root`` first
    published in ``month``: one query over that month alone."""
    return articles_first_published_in(root, month.year, month.month).aggregate(
        count=Count("pk"), lastmod=Max("last_published_at")
    )


def counted_in_index(root, article) -> bool:
    """Whether the sitemap index counts ``article`` under ``root`` now: released,
    public and not hidden from search engines. One query, by the story's key."""
    return indexable(released_rows().descendant_of(root)).filter(pk=article.pk).exists()


def kept_months(root):
    """The months the sitemap index lists for ``root``, newest first, as kept in
    ``ArchiveMonth``: one query over a row per month, whatever the archive holds."""
    return ArchiveMonth.objects.filter(root=root, count__gt=0).order_by("-month")


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in the current time zone."""
    tz = timezone.get_current_timezone()
    start = datetime(year, month, 1, tzinfo=tz)
    following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, following


def articles_first_published_in(root, year: int, month: int):
    start, following = month_bounds(year, month)
    return indexable(released_rows().descendant_of(root)).filter(
        first_published_at__gte=start, first_published_at__lt=following
    )


# The Wagtail hook through which apps above syndication keep more stories in the
# Google News sitemap: each function returns a ``Q`` on articles (the live app's:
# live pages while their coverage goes on).
NEWS_SITEMAP_HOOK = "dateline_news_sitemap_articles"


def recent_articles(root, hours: int):
    """Indexable articles under ``root`` first published in the last ``hours``, and
    those the ``NEWS_SITEMAP_HOOK`` functions keep there.

    The stories kept by the hooks (a few live pages) are read first, by their own
    ids: one filter "recent OR kept by a hook" made the database read every story
    of the archive to find the recent ones; "recent OR one of these ids" reads the
    index's recent end and the ids."""
    from django.db.models import Q
    from wagtail import hooks

    from dateline.newsroom.models import ArticlePage

    recent = Q(first_published_at__gte=timezone.now() - timedelta(hours=hours))
    kept = Q(pk__in=[])
    for extra in hooks.get_hooks(NEWS_SITEMAP_HOOK):
        kept |= extra()
    kept_ids = list(ArticlePage.objects.filter(kept).values_list("pk", flat=True))
    if kept_ids:
        recent |= Q(pk__in=kept_ids)
    return indexable(released_rows().descendant_of(root)).filter(recent)


def with_latest_story(pages):
    """``pages`` each with ``latest_story``: when the newest released article at or
    under it was last published. A section's listing changes when one is."""
    return pages.annotate(
        latest_story=Subquery(
            indexable(released_rows())
            .filter(path__startswith=OuterRef("path"))
            .order_by("-last_published_at")
            .values("last_published_at")[:1]
        )
    )


def _latest_release(links, story: str):
    """When the newest released article among ``links`` (rows naming their story
    in ``story``, matched to the outer row) was last published.

    Read newest first off the index of last publication, each story checked for a
    link, stopping at the first: a correlated EXISTS, so the database cannot start
    from the links and sort every story of a busy author or tag."""
    linked = links.filter(**{story: OuterRef("pk")})
    return Subquery(
        released_rows()
        .filter(Exists(linked))
        .order_by("-last_published_at")
        .values("last_published_at")[:1]
    )


def authors_with_articles():
    """Authors with a released article, each with ``lastmod``: their latest one."""
    return (
        Author.objects.annotate(
            lastmod=_latest_release(
                ArticleByline.objects.filter(author=OuterRef(OuterRef("pk"))), "page"
            )
        )
        .filter(lastmod__isnull=False)
        .order_by("slug")
    )


def tags_in_use():
    """Tags on a released article, each with ``lastmod``: the latest such article."""
    return (
        Tag.objects.annotate(
            lastmod=_latest_release(
                ArticleTag.objects.filter(tag=OuterRef(OuterRef("pk"))),
                "content_object",
            )
        )
        .filter(lastmod__isnull=False)
        .order_by("slug")
    )
