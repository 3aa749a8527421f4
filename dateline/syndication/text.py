"""Strings and dates as feeds, sitemaps and metadata write them.

Every value a feed carries is either plain text or HTML, by the field it goes into,
never by what it happens to contain (see docs/security.md, "Output contexts"):
``feed_text`` for fields readers show as text, ``feed_html`` for the fields they
render as HTML. Escaping for XML is the feed writer's job and happens once more on
top, whatever the context; JSON needs no escaping of its own.
"""

import html
import re

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData

# XML 1.0 allows tab, newline and carriage return among the C0 controls, and no
# surrogates or the two non-characters U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text) -> str:
    """``text`` as a string without the characters XML 1.0 cannot carry.

    One such character (a vertical tab pasted from a word processor) would make a
    whole feed or sitemap unreadable, not just its own item.
    """
    return _NOT_IN_XML.sub("", str(text or ""))


def feed_text(value) -> str:
    """``value`` for a plain-text field: titles, names, categories, a feed's own
    description, JSON Feed's ``content_text`` and ``summary``.

    Never HTML-escaped: a reader shows these as they are, so ``&lt;`` here would be
    seen as ``&lt;``. HTML given by mistake (a ``SafeString``) is reduced to its text.
    """
    if isinstance(value, SafeData):
        value = html.unescape(strip_tags(value))
    return xml_safe(value)


def feed_html(value) -> str:
    """``value`` for a field readers render as HTML: RSS ``<description>``, Atom
    ``<summary type="html">``, JSON Feed ``content_html``.

    HTML we made or sanitised (a ``SafeString``: a rendered template, rich text)
    goes as it is. Plain text is escaped here, exactly once, so that markup a person
    typed is shown, not run. Only ``&``, ``<`` and ``>`` are escaped: quotes mean
    nothing outside an attribute, and an apostrophe stays an apostrophe for a reader
    that shows the description as text.
    """
    if isinstance(value, SafeData):
        return xml_safe(value)
    return html.escape(xml_safe(value), quote=False)


def iso_datetime(value) -> str | None:
    """ISO 8601 / W3C to the second, with the offset of the outlet's time zone."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def tag_names(tags) -> list[str]:
    """Tag names in a stable order: the database returns prefetched tags in any."""
    return sorted((tag.name for tag in tags), key=str.casefold)
