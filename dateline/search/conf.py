"""Search settings from Django settings, read when used."""

from django.conf import settings


def page_size() -> int:
    return int(getattr(settings, "DATELINE_SEARCH_PAGE_SIZE", 10))


def candidates() -> int:
    """How many of the most relevant matches are re-ranked with recency and paged."""
    return int(getattr(settings, "DATELINE_SEARCH_CANDIDATES", 500))


def newest_matches() -> int:
    """How many of the newest matching index entries are scored (0: every match).

    A word found in most stories would otherwise have every story of the archive
    scored on each search; a newsroom's reader looks for recent news first."""
    return max(0, int(getattr(settings, "DATELINE_SEARCH_NEWEST_MATCHES", 2000)))


def recency_days() -> float:
    """The age at which an article's relevance counts half (see docs/search.md)."""
    return float(getattr(settings, "DATELINE_SEARCH_RECENCY_DAYS", 30))


def max_query_length() -> int:
    return int(getattr(settings, "DATELINE_SEARCH_MAX_QUERY_LENGTH", 200))


def max_terms() -> int:
    """Words of a query beyond this many are ignored, bounding the work per search."""
    return int(getattr(settings, "DATELINE_SEARCH_MAX_TERMS", 12))


def title_norms_every() -> int:
    """Seconds between full refreshes of the index's title norms (a day)."""
    return int(getattr(settings, "DATELINE_SEARCH_TITLE_NORMS_EVERY", 86400))
