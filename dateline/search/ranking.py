"""The most relevant articles for a query, scored from Wagtail's search index.

Wagtail's database backend keeps the index (``update_index``, and the signals that
reindex a page when it is saved), and its scores are used as Wagtail computes them.
The queries that read them are our own on the two databases Dateline runs on,
because Wagtail 8's are far too slow there for a reader's search box at 100,000
articles (docs/search.md has the measurements):

* SQLite: ranking goes through a correlated subquery that repeats the full-text match
  for every matching row, which takes minutes (wagtail/django-modelsearch#85 notes
  it). Here ``bm25()`` is read from the same FTS5 table in one pass.
* PostgreSQL: matching ``title || body`` against the query cannot use the GIN index
  on either column, so every search reads every entry. Here each word is looked up
  in the title's and the body's index, and whether readers may see a match is
  checked for the matches only.

Any other search backend goes through Wagtail's ``search()`` with its scores.
Relevance comes back as "higher is better" everywhere.
"""

from __future__ import annotations

import operator
from datetime import datetime
from functools import reduce
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from dateline.newsroom.models import ArticlePage

from . import conf
from .newest import newest_bound


class Match(NamedTuple):
    pk: int
    relevance: float
    published: datetime | None


def best_matches(terms, articles: QuerySet, limit: int) -> list[Match]:
    """Up to ``limit`` of ``articles`` containing every term, most relevant first.

    Ask for one more than you show to learn whether there are more: counting every
    match would cost as much again as ranking them.
    """
    kind = backend_kind()
    if kind == "sqlite_fts":
        return _from_sqlite_fts(terms, articles, limit)
    if kind == "postgres":
        return _from_postgres(terms, articles, limit)
    return _from_wagtail_search(terms, articles, limit)


def backend_kind() -> str:
    # The backend modules import models that exist only on their own database.
    backend = get_search_backend()
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        if isinstance(backend, SQLiteSearchBackend):
            return "sqlite_fts"
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import (
            PostgresSearchBackend,
        )

        if isinstance(backend, PostgresSearchBackend):
            return "postgres"
    return "other"


def _readable(articles, object_id):
    """``articles`` narrowed to the index entry's object, by primary key: checked for
    the matches only, so a rare word costs a few lookups rather than a list of every
    article readers may see. Object ids are text in the index; every indexed model
    of Dateline (Wagtail's included) has integer keys."""
    return articles.filter(pk=Cast(OuterRef(object_id), IntegerField()))


def _article_content_types():
    from modelsearch.utils import get_descendants_content_types_pks

    return get_descendants_content_types_pks(ArticlePage)


def _from_sqlite_fts(terms, articles, limit):
    from modelsearch.backends.database.sqlite.query import (
        BM25,
        Lexeme,
        MatchExpression,
        SearchQueryExpression,
    )
    from wagtail.search.models import SQLiteFTSIndexEntry

    every_term = reduce(operator.and_, [Lexeme(term) for term in terms])
    match = MatchExpression(["title", "body"], SearchQueryExpression(every_term))
    entries = SQLiteFTSIndexEntry.objects.filter(
        match,
        Exists(_readable(articles, "index_entry__object_id")),
        index_entry__content_type_id__in=_article_content_types(),
    )
    if newest := conf.newest_matches():
        # FTS5 reads a match's entries newest first by rowid (the entry's id) and
        # stops at the boundary; scoring then reads that rowid range only. (An
        # "IN (the newest ids)" made SQLite score every match against the list.)
        matching = SQLiteFTSIndexEntry.objects.filter(match)
        entries = entries.filter(
            index_entry_id__gte=newest_bound(matching, "index_entry_id", newest)
        )
    # Wagtail's weighting: bm25 * title_norm + bm25. bm25() is negative, the most
    # relevant the most negative: ascending order, then a change of sign.
    scored = entries.annotate(score=BM25() * (F("index_entry__title_norm") + 1.0))
    rows = scored.order_by("score", "-index_entry__object_id").values_list(
        "index_entry__object_id", "score"
    )[:limit]
    return _matches((object_id, -score) for object_id, score in rows)


def _from_postgres(terms, articles, limit):
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from modelsearch.backends.database.postgres.weights import get_sql_weights
    from wagtail.search.models import IndexEntry

    config = get_search_backend().config
    words = _words_with_lexemes(terms, config)
    if not words:
        return []  # only stop words ("the", "of"): Wagtail finds nothing either
    every_word = SearchQuery(" ".join(words), search_type="plain", config=config)
    # Each word in the title or the body: what Wagtail's "title || body" matches,
    # but in a form the GIN index of each column can answer.
    in_title_or_body = [
        Q(title=query) | Q(body=query)
        for query in (SearchQuery(w, search_type="plain", config=config) for w in words)
    ]
    weights = get_sql_weights()
    entries = IndexEntry.objects.filter(
        *in_title_or_body,
        Exists(_readable(articles, "object_id")),
        content_type_id__in=_article_content_types(),
    )
    if newest := conf.newest_matches():
        # Only the newest matches are scored (ts_rank reads each one's whole body
        # vector): a common word costs the same at a million stories as at ten
        # thousand.
        matching = IndexEntry.objects.filter(*in_title_or_body)
        entries = entries.filter(id__gte=newest_bound(matching, "id", newest))
    rows = (
        entries.annotate(
            score=SearchRank(F("title"), every_word, weights=weights) * F("title_norm")
            + SearchRank(F("body"), every_word, weights=weights)
        )
        .order_by("-score", "-object_id")
        .values_list("object_id", "score")[:limit]
    )
    return _matches(rows)


def _words_with_lexemes(terms, config) -> list[str]:
    """The terms that are not stop words in the text search configuration: a stop
    word alone makes an empty query, which matches nothing."""
    one = (
        "numnode(plainto_tsquery(%s))"
        if config is None
        else ("numnode(plainto_tsquery(%s::regconfig, %s))")
    )
    params = [
        p for term in terms for p in ([term] if config is None else [config, term])
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([one] * len(terms)), params)
        counts = cursor.fetchone()
    return [term for term, count in zip(terms, counts, strict=True) if count]


def _from_wagtail_search(terms, articles, limit):
    results = (
        ArticlePage.objects.filter(id__in=articles.values("pk"))
        .only("id", "first_published_at")
        .search(" ".join(terms), operator="and")
        .annotate_score("_score")
    )
    # A backend that cannot score gives None: recency alone then orders.
    return [
        Match(a.pk, 1.0 if a._score is None else a._score, a.first_published_at)
        for a in dict.fromkeys(results[:limit])
    ]


def _matches(rows) -> list[Match]:
    """(object id, relevance) rows, most relevant first, with publication times."""
    relevance = {}
    for object_id, score in rows:
        relevance.setdefault(int(object_id), score)
    published = dict(
        Page.objects.filter(pk__in=relevance).values_list("pk", "first_published_at")
    )
    return [Match(pk, score, published.get(pk)) for pk, score in relevance.items()]
