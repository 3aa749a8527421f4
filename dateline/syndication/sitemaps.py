"""Sitemaps for search engines, built on Django's and Wagtail's ``Sitemap`` classes.

The index (``/sitemap.xml``) lists one sitemap per month of first publication
(``articles-2026-11``), then ``sections`` (the home page and every section),
``authors`` and ``tags``. A month that outgrows ``DATELINE_SITEMAP_LIMIT`` URLs is
split into pages (``?p=2``), which the index lists too. The Google News sitemap is
separate: ``NewsSitemap``.
"""

import re
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.models import get_page_models

from dateline.newsroom.models import ArticlePage, OutletSettings

from . import conf, queries
from .links import root_url
from .text import iso_datetime, xml_safe


class LimitMixin:
    @property
    def limit(self):
        return conf.sitemap_limit()


class ArticleSitemap(LimitMixin, PageSitemap):
    """Indexable articles first published in one month, oldest first.

    The index passes each month's ``count`` and ``lastmod`` as ``ArchiveMonth``
    keeps them, so that listing the index never counts the archive.
    """

    def __init__(self, request, year, month, count=None, lastmod=None):
        super().__init__(request)
        self.year, self.month = year, month
        self.known_count, self.known_lastmod = count, lastmod

    def items(self):
        root = self.get_wagtail_site().root_page
        return (
            queries.articles_first_published_in(root, self.year, self.month)
            .defer_streamfields()
            .order_by("first_published_at", "pk")
        )

    def get_latest_lastmod(self):
        if self.known_lastmod is not None:
            return self.known_lastmod
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]

    @property
    def paginator(self):
        if self.known_count is not None:
            return Paginator(range(self.known_count), self.limit)
        return super().paginator


class SectionSitemap(LimitMixin, PageSitemap):
    """The home page, sections and any other page that is not an article.

    A page's ``lastmod`` is its own publication or that of the newest story at or
    under it, whichever is later: publishing a story changes its section's listing.
    """

    def items(self):
        # Named by their types rather than "not an article": the database then
        # reads the few section and home pages off the content type's index
        # instead of every story of the archive to leave them out.
        listing = [m for m in get_page_models() if not issubclass(m, ArticlePage)]
        pages = queries.indexable(super().items().exact_type(*listing))
        return queries.with_latest_story(pages)

    def _urls(self, page, protocol, domain):
        urls = []
        for item in self.paginator.page(page).object_list:
            for info in item.get_sitemap_urls(self.request):
                info["lastmod"] = _later(info.get("lastmod"), item.latest_story)
                urls.append(info)
        dates = [info["lastmod"] for info in urls]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return urls

    def get_latest_lastmod(self):
        latest = self.items().aggregate(
            page=Max("last_published_at"), story=Max("latest_story")
        )
        return _later(latest["page"], latest["story"])


def _later(first, second):
    return max((value for value in (first, second) if value), default=None)


class ListingSitemap(LimitMixin, Sitemap):
    """Pages that list articles but are not Wagtail pages: authors and tags."""

    def __init__(self, request=None):
        self.request = request

    # Addresses on the host the Wagtail Site names, like the pages' own addresses.
    def get_protocol(self, protocol=None):
        return urlsplit(root_url(self.request)).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(root_url(self.request)).netloc or super().get_domain(site)

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("lastmod"))["latest"]


class AuthorSitemap(ListingSitemap):
    def items(self):
        return queries.authors_with_articles()

    def location(self, author):
        return author.get_absolute_url()


class TagSitemap(ListingSitemap):
    def items(self):
        return queries.tags_in_use()

    def location(self, tag):
        return reverse("newsroom:tag", args=[tag.slug])


class NewsSitemap(PageSitemap):
    """Google News: indexable articles first published in the last two days.

    https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
    """

    limit = 1000  # the most Google News reads from one news sitemap

    def items(self):
        root = self.get_wagtail_site().root_page
        return (
            queries.recent_articles(root, conf.news_sitemap_hours())
            .defer_streamfields()
            .order_by("-first_published_at", "-pk")
        )

    def get_latest_lastmod(self):
        """When the newest listed story was first published; None when there is
        none, and then the news sitemap is neither listed nor served: the sitemap
        schema requires at least one ``<url>``."""
        # The newest first off the index of first publication, not a MAX over two
        # days of stories: the same answer, read in one step.
        newest = self.items().order_by("-first_published_at")
        return newest.values_list("first_published_at", flat=True).first()

    def publication_name(self):
        return xml_safe(OutletSettings.for_request(self.request).name)

    def item_language(self, article):
        return article.language

    def item_publication_date(self, article):
        return article.first_published_at

    def item_title(self, article):
        return xml_safe(article.title)

    def _urls(self, page, protocol, domain):
        # Wagtail's version keeps only each page's address and date; a news entry
        # needs the article itself.
        name = self.publication_name()
        return [
            {
                "location": self.location(article),
                "publication_name": name,
                "language": self.item_language(article),
                "publication_date": iso_datetime(self.item_publication_date(article)),
                "title": self.item_title(article),
            }
            for article in self.paginator.page(page).object_list
        ]


FIXED_SECTIONS = {
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
_MONTH = re.compile(r"articles-(\d{4})-(\d{2})")


def sitemaps_for_index(request):
    """Every sitemap the index lists, by the name in its address."""
    root = PageSitemap(request).get_wagtail_site().root_page
    months = {
        f"articles-{row.month:%Y-%m}": ArticleSitemap(
            request, row.month.year, row.month.month, row.count, row.lastmod
        )
        for row in queries.kept_months(root)
    }
    fixed = {name: sitemap(request) for name, sitemap in FIXED_SECTIONS.items()}
    return {**months, **fixed}


def index_entries(request):
    """(address, lastmod) for each sitemap the index lists, pages after the first
    included. A sitemap with nothing in it is left out (and its address is 404): the
    sitemaps.org schema requires at least one ``<url>`` in a ``<urlset>``."""
    entries = []
    for name, sitemap in sitemaps_for_index(request).items():
        if not sitemap.paginator.count:
            continue
        url = reverse("syndication:sitemap", kwargs={"section": name})
        lastmod = sitemap.get_latest_lastmod()
        entries.append((url, lastmod))
        entries += [(f"{url}?p={n}", lastmod) for n in sitemap.paginator.page_range[1:]]
    news_lastmod = NewsSitemap(request).get_latest_lastmod()
    if news_lastmod is not None:
        entries.append((reverse("syndication:news_sitemap"), news_lastmod))
    return entries


def sitemap_for_section(request, section):
    """The sitemap named ``section`` in its address; 404 for a name it cannot be."""
    if section in FIXED_SECTIONS:
        return FIXED_SECTIONS[section](request)
    match = _MONTH.fullmatch(section)
    year, month = (int(match[1]), int(match[2])) if match else (0, 0)
    if not (1 <= year < 9999 and 1 <= month <= 12):
        raise Http404
    return ArticleSitemap(request, year, month)
