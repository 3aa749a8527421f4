"""Strings and dates as feeds, sitemaps and metadata write them."""

import re

from django.utils import timezone

# XML 1.0 allows tab, newline and carriage return among the C0 controls, and no
# surrogates or the two non-characters U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text) -> str:
    """``text`` as a string without the characters XML 1.0 cannot carry.

    One such character (a vertical tab pasted from a word processor) would make a
    whole feed or sitemap unreadable, not just its own item.
    """
    return _NOT_IN_XML.sub("", str(text or ""))


def iso_datetime(value) -> str | None:
    """ISO 8601 / W3C to the second, with the offset of the outlet's time zone."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def tag_names(tags) -> list[str]:
    """Tag names in a stable order: the database returns prefetched tags in any."""
    return sorted((tag.name for tag in tags), key=str.casefold)
