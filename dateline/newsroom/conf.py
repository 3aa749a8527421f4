"""Newsroom settings, read when used so tests and deployments can change them."""

from django.conf import settings

DEFAULT_READING_WPM = 200


def reading_wpm(language: str = "") -> int:
    """Words a reader reads in a minute, for ``language`` when the outlet set one.

    ``DATELINE_READING_WPM`` is the outlet-wide rate;
    ``DATELINE_READING_WPM_BY_LANGUAGE`` maps a language code (``"ar"``, ``"ur"``)
    to its own rate, since reading speeds measured per script differ widely.
    """
    by_language = getattr(settings, "DATELINE_READING_WPM_BY_LANGUAGE", {}) or {}
    rate = by_language.get(language) or by_language.get(language.split("-")[0])
    rate = rate or getattr(settings, "DATELINE_READING_WPM", DEFAULT_READING_WPM)
    return max(1, int(rate))


def listing_page_size() -> int:
    return int(getattr(settings, "DATELINE_LISTING_PAGE_SIZE", 12))


def listing_max_page() -> int:
    """The deepest page of a listing a reader may ask for (``?page=``); older
    stories are reached through a section's archive by month."""
    return max(1, int(getattr(settings, "DATELINE_LISTING_MAX_PAGE", 1000)))


def default_language() -> str:
    return settings.LANGUAGE_CODE


def related_look_back() -> int:
    """How many of the newest tag links per tag "Related stories" weighs (the
    article's tags times this): a bounded read whatever the archive's size."""
    return max(1, int(getattr(settings, "DATELINE_RELATED_LOOK_BACK", 200)))
