"""Syndication settings, read when used so tests and deployments can change them."""

from django.conf import settings


def _get(name, default):
    return getattr(settings, name, default)


def feed_items() -> int:
    """How many of the latest articles a feed carries."""
    return max(1, int(_get("DATELINE_FEED_ITEMS", 30)))


def feed_full_text() -> bool:
    """Whether feed items carry the whole story (True) or only its standfirst."""
    return bool(_get("DATELINE_FEED_FULL_TEXT", False))


def sitemap_limit() -> int:
    """URLs per sitemap file. The protocol allows 50,000; smaller files stay quick."""
    return min(50_000, max(1, int(_get("DATELINE_SITEMAP_LIMIT", 10_000))))


def archive_recount_at_once() -> int:
    """The most stories a month of the sitemap index may hold and still be recounted
    within the change that moved one of them; a bigger month is recounted by the
    worker, so that a publish does not wait on reading the month whole."""
    return max(0, int(_get("DATELINE_ARCHIVE_RECOUNT_AT_ONCE", 5_000)))


def news_sitemap_hours() -> int:
    """How far back the Google News sitemap reaches (Google reads two days)."""
    return int(_get("DATELINE_NEWS_SITEMAP_HOURS", 48))


def search_url() -> str:
    """The reader search page, as the WebSite search box in search results uses it."""
    return _get("DATELINE_SEARCH_URL", "/search/?q={search_term_string}")


def api_write_rate() -> tuple[int, int]:
    """Writes one content API token may make: ``(count, seconds)``."""
    count, seconds = _get("DATELINE_API_WRITE_RATE", (60, 60))
    return int(count), int(seconds)
