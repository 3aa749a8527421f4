"""Live coverage settings, read when used so tests and deployments can change them."""

from django.conf import settings


def page_size() -> int:
    """Entries a live page shows at once; older ones are a "Load more" away."""
    return max(1, int(getattr(settings, "DATELINE_LIVE_PAGE_SIZE", 20)))


def ad_every() -> int:
    """An ad break after every this many entries (0: none)."""
    return max(0, int(getattr(settings, "DATELINE_LIVE_AD_EVERY", 10)))


def poll_seconds() -> int:
    """How often readers' browsers ask for new entries, and how long a browser and
    the proxy may keep an answer while coverage goes on."""
    return max(2, int(getattr(settings, "DATELINE_LIVE_POLL_SECONDS", 8)))


def feed_entries() -> int:
    """The latest entries named in a live page's JSON-LD and API answer."""
    return max(1, int(getattr(settings, "DATELINE_LIVE_LATEST_ENTRIES", 10)))
