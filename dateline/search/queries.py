"""Full-text search over the articles readers may see, with editors' picks first.

The ranking is in docs/search.md: the ``conf.candidates()`` matches Wagtail's search
index scores most relevant (``ranking.py``) are re-ranked with a recency boost, and
pages of ten are cut from that list.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from dateline.newsroom.models import ArticlePage, Author, SectionPage
from dateline.newsroom.queries import published_articles

from . import conf
from .highlight import search_terms
from .ranking import Match, best_matches


class SearchResults:
    """Ranked matches to page through with Django's ``Paginator``.

    Only ids are held; each slice loads its articles with what a result shows, in one
    query and its prefetches, however many matched. ``picks`` are the editors' picks
    for the query (already released and filtered), which the ranked list leaves out.
    ``capped`` says more matched than were ranked.
    """

    def __init__(self, terms=(), picks=(), ranked_ids=(), *, capped=False):
        self.terms = list(terms)
        self.picks = list(picks)
        self.ranked_ids = list(ranked_ids)
        self.capped = capped

    def __len__(self) -> int:
        return len(self.ranked_ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ranked_ids[index]
        loaded = published_articles().in_bulk(ids) if ids else {}
        # An article embargoed or unpublished since the ranking is simply left out.
        return [loaded[pk] for pk in ids if pk in loaded]

    @property
    def total(self) -> int:
        """How many are shown in all; with ``capped``, at least this many matched."""
        return len(self.picks) + len(self.ranked_ids)


def search_articles(
    query: str,
    section: SectionPage | None = None,
    author: Author | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    now: datetime | None = None,
) -> SearchResults:
    """Released articles (live, public, past any embargo at this moment) containing
    every word of ``query``, most relevant first with newer articles boosted, and the
    editors' picks for the query before them. Filters narrow both.

    Embargoes are applied here, at query time, so an embargo lifting needs no reindex.
    """
    now = now or timezone.now()
    terms = search_terms(query, conf.max_terms())
    if not terms:
        return SearchResults()
    articles = filtered_articles(section, author, date_from, date_to, now=now)
    picks = promoted_articles(query, terms, articles)
    unpicked = articles.exclude(pk__in=[a.pk for a in picks])
    limit = conf.candidates()
    matches = best_matches(terms, unpicked, limit + 1)
    ranked = [match.pk for match in boost_recent(matches[:limit], now)]
    return SearchResults(terms, picks, ranked, capped=len(matches) > limit)


def filtered_articles(
    section=None, author=None, date_from=None, date_to=None, *, now=None
) -> QuerySet[ArticlePage]:
    """What readers may see, narrowed by the reader's filters.

    A section includes its sub-sections and articles filed also in any of them; dates
    are inclusive days of first publication in the outlet's time zone.
    """
    articles = ArticlePage.objects.released(now)
    if section is not None:
        articles = articles.filter(
            Q(path__startswith=section.path, depth__gt=section.depth)
            | Q(also_in__path__startswith=section.path)
        )
    if author is not None:
        articles = articles.filter(bylines__author=author)
    if date_from is not None:
        articles = articles.filter(first_published_at__date__gte=date_from)
    if date_to is not None:
        articles = articles.filter(first_published_at__date__lte=date_to)
    return articles


def promoted_articles(query: str, terms, articles) -> list[ArticlePage]:
    """The pages editors pinned for ``query``, in their order, if readers may see them
    and they pass the filters. A query matches a pin typed with other capitals,
    spacing or punctuation."""
    spellings = {normalise_query_string(query), normalise_query_string(" ".join(terms))}
    pinned = list(
        SearchPromotion.objects.filter(
            query__query_string__in=spellings, page__isnull=False
        )
        .order_by("sort_order", "pk")
        .values_list("page_id", flat=True)
    )
    if not pinned:
        return []
    found = published_articles().filter(pk__in=articles.values("pk")).in_bulk(pinned)
    return [found[pk] for pk in dict.fromkeys(pinned) if pk in found]


def boost_recent(matches: list[Match], now: datetime) -> list[Match]:
    """``matches`` ordered by relevance / (1 + age in days / D), D being
    ``DATELINE_SEARCH_RECENCY_DAYS`` (30): a month-old article needs twice the
    relevance of today's to rank beside it. Ties go to the newer article."""
    days = conf.recency_days()

    def key(match):
        published = match.published or now
        age = max((now - published).total_seconds() / 86400, 0.0)
        return (match.relevance / (1 + age / days), published, match.pk)

    return sorted(matches, key=key, reverse=True)
