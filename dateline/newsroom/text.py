"""Counting the words a reader reads, in any script."""

import math
from collections.abc import Iterable, Mapping

import regex
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


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def count_words_in_html(html: str) -> int:
    # Block tags carry no spaces between them; add one so "</p><p>" splits words.
    return count_words(strip_tags(html.replace("<", " <")))


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
