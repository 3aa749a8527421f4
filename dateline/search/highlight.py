"""A reader's query as words, and excerpts of articles with those words marked.

Nothing a reader types reaches the search engine as syntax: a query is reduced to its
words (letters, marks and digits in any script), so quotes, ``*``, ``OR``-style
operators' punctuation, ``NEAR(`` and control characters are simply not there.
"""

import regex
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Letters with their combining marks (Urdu, Arabic and Devanagari vowel signs), and
# digits: the same notion of a word as the search index's tokenisers, near enough.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_SPACE = regex.compile(r"\s+")
ELLIPSIS = "…"


def search_terms(query: str, limit: int) -> list[str]:
    """The distinct words of ``query`` in the order typed, at most ``limit`` of them."""
    terms, seen = [], set()
    for word in _WORD.findall(query):
        if word.casefold() not in seen:
            seen.add(word.casefold())
            terms.append(word)
    return terms[:limit]


def excerpt(text: str, terms, words: int = 30) -> SafeString:
    """About ``words`` words of plain ``text`` around the first of ``terms``, or from
    the start when none occurs, HTML-escaped, each whole-word, case-insensitive
    occurrence of a term wrapped in ``<mark>``.

    Every piece of ``text`` is escaped before any mark is added around it, so neither
    the text nor the terms can open a tag or split an entity such as ``&lt;``.
    """
    found = list(_WORD.finditer(text))
    if not found:
        return escape(_SPACE.sub(" ", text).strip())
    wanted = {term.casefold() for term in terms}
    first = next((i for i, m in enumerate(found) if m[0].casefold() in wanted), 0)
    start = max(0, min(first - words // 3, len(found) - words))
    end = min(len(found), start + words)
    return _render(text, found[start:end], wanted, start > 0, end < len(found))


def mark_terms(text: str, terms) -> SafeString:
    """All of ``text``, escaped, with the terms marked (for titles)."""
    return excerpt(text, terms, words=len(text))


def _render(text, found, wanted, cut_before, cut_after) -> SafeString:
    parts = [ELLIPSIS + " "] if cut_before else []
    previous = found[0].start() if cut_before else 0
    for match in found:
        gap = _SPACE.sub(" ", text[previous : match.start()])
        parts.append(escape(gap))
        word = escape(match[0])
        parts.append(f"<mark>{word}</mark>" if match[0].casefold() in wanted else word)
        previous = match.end()
    if cut_after:
        parts.append(" " + ELLIPSIS)
    else:
        parts.append(escape(_SPACE.sub(" ", text[previous:])))
    return mark_safe("".join(parts).strip())  # noqa: S308 - every piece escaped above


def article_text(article) -> str:
    """What the index holds of an article beyond its title: standfirst and body."""
    body = article._meta.get_field("body").get_searchable_content(article.body)
    return " ".join([article.standfirst, *body])
