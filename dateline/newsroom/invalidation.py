"""Keeping caches truthful: every change a reader could see moves the content version
(the in-app page cache keys on it) and purges the affected addresses from the caching
proxy through Wagtail's frontend cache.

Why one version for the whole site rather than per-page keys: a change to one article
alters the home page, its sections, tags, authors, feeds and sitemaps, and their
paginated variants; bumping one number invalidates all of them at once and can never
miss one. The proxy, which cannot be versioned, gets the precise list of URLs.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from dateline.caching.versions import (
    bump_versions,
    forget_per_request,  # noqa: F401 - re-exported for the apps' imports
    per_request,  # noqa: F401
    read_version,
)

logger = logging.getLogger(__name__)

# The name of the site-wide version (dateline.caching.versions: it never goes back).
CONTENT = "content"


def content_version() -> int:
    return read_version(CONTENT)


def bump_version() -> None:
    bump_versions([CONTENT])


def urls_for_article(article) -> list[str]:
    """The article and every public page that lists it."""
    urls = [article.full_url, *common_urls(article.get_site())]
    section = getattr(article, "section", None)
    if section is not None:
        urls += [a.full_url for a in section.get_ancestors(inclusive=True).live()[2:]]
    root = article.get_site().root_url if article.get_site() else ""
    urls += [f"{root}/tags/{tag.slug}/" for tag in article.tags.all()]
    urls += [f"{root}{author.get_absolute_url()}" for author in article.authors]
    return [url for url in urls if url]


def common_urls(site) -> list[str]:
    root = site.root_url if site else ""
    paths = [
        "/",
        "/corrections/",
        "/feed/",
        "/feed/atom/",
        "/feed/json/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ]
    return [f"{root}{path}" for path in paths]


def content_changed(urls=()) -> None:
    """Call after a change readers can see; runs once the transaction commits."""
    urls = list(urls)
    transaction.on_commit(lambda: _invalidate(urls))


def _invalidate(urls):
    bump_version()
    if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        from wagtail.contrib.frontend_cache.utils import PurgeBatch

        batch = PurgeBatch()
        batch.add_urls(sorted(set(urls)))
        try:
            batch.purge()
        except Exception:  # the proxy being away must not fail an editor's publish
            logger.exception("could not purge the caching proxy")


def cached_for_version(key: str, build, timeout=3600):
    """``build()``'s result, kept until the next content change.

    For what every page repeats (site settings, the section menu): one cache read
    instead of database queries. Off with ``DATELINE_FRAGMENT_CACHE = False``.
    """
    if not getattr(settings, "DATELINE_FRAGMENT_CACHE", True):
        return build()
    return cache.get_or_set(f"dateline:v{content_version()}:{key}", build, timeout)


class VersionCachedSetting:
    """Mixin for Wagtail site settings read on every page: kept in the cache until the
    content version moves (saving any site setting moves it)."""

    @classmethod
    def for_site(cls, site):
        if site is None:  # a host no site answers: its 404 page shows the defaults
            return cls()
        parent = super()
        key = f"setting:{cls._meta.label_lower}:{getattr(site, 'pk', None)}"
        return cached_for_version(key, lambda: parent.for_site(site))
