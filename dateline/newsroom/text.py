"""Counting the words a reader reads, in any script."""

import math
import re
from collections.abc import Iterable, Mapping
from html import unescape

import regex
from django.conf import settings
from django.utils.html import strip_tags

# A word is a run of letters, marks and digits (so Urdu, Arabic and Devanagari words
# with their vowel marks count once), allowing inner apostrophes and hyphens, and the
# dots and commas inside figures such as "4.2bn".
# Han and kana are written without spaces; each character counts as one unit, and a
# per-language reading rate measured in characters a minute turns that into time.
_WORD = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}]"
    r"|[\p{L}\p{M}\p{N}]+(?:['’.,\-][\p{L}\p{M}\p{N}]+)*",
)

_BLOCK_END = re.compile(r"<(?:br|/p|/li|/ul|/ol)\b", re.IGNORECASE)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def count_words_in_html(html: str) -> int:
    # Block tags carry no spaces between them; add one so "</p><p>" splits words.
    return count_words(strip_tags(html.replace("<", " <")))


def plain_text(html: str) -> str:
    """The text of ``html`` with its tags gone, entities decoded and spacing
    collapsed; a line break or the end of a paragraph or list item is a space."""
    spaced = _BLOCK_END.sub(r" \g<0>", html)
    return " ".join(unescape(strip_tags(spaced)).split())


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, "…" included."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


# Languages written right to left beyond those Django's LANGUAGES_BIDI names, and the
# scripts that make any language right to left when a tag names one ("pa-Arab").
_RIGHT_TO_LEFT = {"ar", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug"}
_RIGHT_TO_LEFT.update(["ur", "yi"])
_RIGHT_TO_LEFT_SCRIPTS = {"arab", "hebr", "nkoo", "rohg", "syrc", "thaa"}


def text_direction(language: str) -> str:
    """``"rtl"`` or ``"ltr"``: how text in ``language`` (a BCP 47 tag) runs."""
    parts = language.replace("_", "-").lower().split("-")
    if any(len(part) == 4 for part in parts[1:]):
        return "rtl" if set(parts[1:]) & _RIGHT_TO_LEFT_SCRIPTS else "ltr"
    bidi = {code.lower() for code in settings.LANGUAGES_BIDI}
    rtl = parts[0] in _RIGHT_TO_LEFT or "-".join(parts) in bidi or parts[0] in bidi
    return "rtl" if rtl else "ltr"


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Minutes to read ``words``: rounded up, and never less than one."""
    return max(1, math.ceil(words / words_per_minute))


def dateline(place: str, outlet_name: str) -> str:
    """The words that open a story: "Islamabad (The Dateline Gazette)"."""
    if not place:
        return ""
    return f"{place} ({outlet_name})" if outlet_name else place


def count_story_words(blocks: Iterable[Mapping], dateline: str = "") -> int:
    """The words a reader reads in a story's body, from its blocks as stored
    (``{"type": ..., "value": ...}``), so a data migration counts as the model does.

    Paragraphs, subheadings and block quotes count; pull quotes repeat the story and
    captions sit beside it. The dateline counts when there is a first paragraph for it
    to open, since that is where readers read it.
    """
    words, paragraphs = 0, 0
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            words += count_words_in_html(value)
            paragraphs += 1
        elif kind == "subheading":
            words += count_words(value)
        elif kind == "blockquote":
            words += count_words(value["quote"])
    return words + (count_words(dateline) if paragraphs else 0)
