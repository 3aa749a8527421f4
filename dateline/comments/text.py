"""Comments are plain text. Any markup around them is made here, from escaped text."""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

# Control, format (bidi overrides, zero-width joiners used to hide text), surrogate and
# private-use characters; line breaks and tabs are kept in comment bodies.
_DROPPED = {"Cc", "Cf", "Cs", "Co"}
_KEPT_CONTROLS = {"\n", "\t"}


def clean_text(text: str, keep_lines: bool) -> str:
    text = text.replace("\r\n", "\n")
    for separator in ("\r", "\u2028", "\u2029", "\x85"):
        text = text.replace(separator, "\n")
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text:
        if unicodedata.category(ch) in _DROPPED and not (
            keep_lines and ch in _KEPT_CONTROLS
        ):
            continue
        kept.append(ch)
    return "".join(kept).strip()


def clean_name(name: str) -> str:
    return " ".join(clean_text(name, keep_lines=False).split())


def clean_body(body: str) -> str:
    # At most one blank line between paragraphs.
    return re.sub(r"\n{3,}", "\n\n", clean_text(body, keep_lines=True))


# A comment's text does not change once published and its markup depends on nothing
# else: the comments of a busy thread are marked up once per process, not per view.
@lru_cache(maxsize=2048)
def render_comment(body: str) -> str:
    """Paragraphs and links for a comment. ``urlize`` escapes every word and makes the
    only tags, so the rel values are added to its tags alone."""
    linked = urlize(body, trim_url_limit=60, nofollow=False, autoescape=True)
    linked = linked.replace("<a href=", '<a rel="nofollow ugc noopener" href=')
    return mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308
