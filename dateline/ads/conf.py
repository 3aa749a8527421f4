"""The ads app's settings, with their defaults. Read inside functions, never at import.

``DATELINE_AD_LABEL``              the word above every ad ("Advertisement").
``DATELINE_AD_SPONSORED_LABEL``    the word on a sponsored article ("Sponsored").
``DATELINE_AD_PROVIDER``           dotted path of the ``AdProvider`` that fills slots.
``DATELINE_AD_COUNT_IN_CACHE``     count in the cache and flush to the database (True),
                                   or write each count to the database (False). Unset:
                                   True when the default cache is Redis.
``DATELINE_AD_BOT_PATTERNS``       user-agent fragments that are never counted.
``DATELINE_AD_TOKEN_MAX_AGE``      seconds a fill's impression and click tokens last.
``DATELINE_AD_NOSCRIPT_WINDOW``    seconds the no-JavaScript fallback keeps one choice.
``DATELINE_AD_INVENTORY_MAX_AGE``  seconds before the campaign set is reloaded even
                                   with no change (a safety net; changes reload it
                                   at once).
``DATELINE_GAM_NETWORK_CODE``      Google Ad Manager network code (off when empty).
``DATELINE_GAM_AD_UNITS``          {placement key: ad unit path} for Google Ad Manager.
"""

from django.conf import settings
from django.utils.translation import gettext

# Matched case-insensitively anywhere in the User-Agent header. An empty header is a
# bot too: every browser sends one.
DEFAULT_BOT_PATTERNS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "mediapartners",
    "adsbot",
    "facebookexternalhit",
    "embedly",
    "preview",
    "headlesschrome",
    "phantomjs",
    "lighthouse",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget/",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "httpclient",
    "monitor",
    "pingdom",
    "uptime",
)


def ad_label() -> str:
    return getattr(settings, "DATELINE_AD_LABEL", "") or gettext("Advertisement")


def sponsored_label() -> str:
    return getattr(settings, "DATELINE_AD_SPONSORED_LABEL", "") or gettext("Sponsored")


def provider_path() -> str:
    return getattr(
        settings, "DATELINE_AD_PROVIDER", "dateline.ads.backends.direct.DirectProvider"
    )


def count_in_cache() -> bool:
    """Counts wait in Redis until they are flushed. The embedded default's cache
    drops its oldest entries when it is full, counts among them, so without Redis
    every count goes straight to the database."""
    value = getattr(settings, "DATELINE_AD_COUNT_IN_CACHE", None)
    if value is not None:
        return bool(value)
    backend = settings.CACHES["default"]["BACKEND"]
    return backend.endswith("RedisCache")


def bot_patterns() -> tuple[str, ...]:
    patterns = getattr(settings, "DATELINE_AD_BOT_PATTERNS", DEFAULT_BOT_PATTERNS)
    return tuple(pattern.lower() for pattern in patterns)


def token_max_age() -> int:
    return int(getattr(settings, "DATELINE_AD_TOKEN_MAX_AGE", 2 * 86400))


def noscript_window() -> int:
    return int(getattr(settings, "DATELINE_AD_NOSCRIPT_WINDOW", 600))


def inventory_max_age() -> int:
    return int(getattr(settings, "DATELINE_AD_INVENTORY_MAX_AGE", 300))


def gam_network_code() -> str:
    return getattr(settings, "DATELINE_GAM_NETWORK_CODE", "")


def gam_ad_units() -> dict[str, str]:
    return dict(getattr(settings, "DATELINE_GAM_AD_UNITS", {}))
