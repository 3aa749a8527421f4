"""Reads of published articles for listings and the article page. Each costs a fixed
number of queries."""

import json
from collections.abc import Callable
from datetime import UTC

from django.db import connection
from django.db.models import Exists, Expression, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.utils.dateparse import parse_datetime
from modelcluster.queryset import FakeQuerySet
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction

from .invalidation import cached_for_version
from .models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    Author,
    SectionPage,
)

LATEST_ON_FRONT = 12
RECENT_FOR_FRONT = 120


def published_articles():
    """Articles readers may see, newest first, with what a listing card shows."""
    return (
        ArticlePage.objects.released()
        .select_related("section", "lead_image")
        .prefetch_related(
            "lead_image__renditions",
            Prefetch(
                "bylines", queryset=ArticleByline.objects.select_related("author")
            ),
        )
        .order_by("-first_published_at", "-pk")
    )


def front_page(home):
    """The front page: lead, curated top stories, the latest, and a block per
    section, in a fixed number of queries however many articles there are."""
    articles = published_articles()
    lead = (
        articles.filter(pk=home.lead_story_id).first() if home.lead_story_id else None
    )
    curated = [item.article_id for item in home.top_stories.all()]
    top = {a.pk: a for a in articles.filter(pk__in=curated)} if curated else {}
    top_stories = [
        top[pk] for pk in curated if pk in top and pk != getattr(lead, "pk", 0)
    ]
    recent = list(articles[:RECENT_FOR_FRONT])
    if lead is None and recent:
        lead = recent[0]
    shown = {lead.pk if lead else None, *(a.pk for a in top_stories)}
    latest = [a for a in recent if a.pk not in shown][:LATEST_ON_FRONT]
    return {
        "lead": lead,
        "top_stories": top_stories,
        "latest": latest,
        "section_blocks": section_blocks(recent, shown | {a.pk for a in latest}),
    }


def section_blocks(recent, shown, per_section=4):
    """The latest articles of each top-level section, from already-loaded ``recent``."""
    sections = list(
        SectionPage.objects.live().public().filter(depth=3).order_by("path")
    )
    blocks = {section.path: [] for section in sections}
    for article in recent:
        block = blocks.get(article.path[: 3 * SectionPage.steplen])
        if block is not None and article.pk not in shown and len(block) < per_section:
            block.append(article)
    return [
        (section, blocks[section.path]) for section in sections if blocks[section.path]
    ]


def articles_in_section(section):
    """Articles under the section in the tree, and those filed also in it."""
    under = Q(path__startswith=section.path, depth__gt=section.depth)
    return published_articles().filter(under | Q(also_in=section)).distinct()


def articles_by_author(author):
    return published_articles().filter(bylines__author=author)


def articles_tagged(tag):
    return published_articles().filter(tags=tag)


def released_tags():
    """Tags readers may see: those on a released article.

    A tag whose only stories are drafts or under embargo does not exist for readers:
    its name alone could tell what an embargoed story is about.
    """
    tagged = ArticlePage.objects.released().filter(tags=OuterRef("pk"))
    return Tag.objects.filter(Exists(tagged))


def published_corrections():
    """Corrections and updates of articles readers may see, newest first."""
    return (
        ArticleCorrection.objects.filter(page__in=ArticlePage.objects.released())
        .select_related("page")
        .order_by("-published_at", "-pk")
    )


# What other apps show about an article on its page (the comments app: its counts),
# fetched in the article's own query. Name -> a function returning the expression.
article_page_annotations: dict[str, Callable[[], Expression]] = {}

ARTICLE = '"dateline_newsroom_articlepage"."page_ptr_id"'
# Each: the JSON of one row, the tables, and the order, for the article's children.
CHILD_ROWS = {
    "bylines": (
        ["b.id", "b.sort_order", "a.id", "a.name", "a.slug", "a.job_title"],
        "dateline_newsroom_articlebyline b JOIN dateline_newsroom_author a "
        f"ON a.id = b.author_id WHERE b.page_id = {ARTICLE}",
        ["b.sort_order", "b.id"],
    ),
    "tags": (
        ["t.id", "t.name", "t.slug"],
        "taggit_tag t JOIN dateline_newsroom_articletag x ON x.tag_id = t.id "
        f"WHERE x.content_object_id = {ARTICLE}",
        ["t.name", "t.id"],
    ),
    "corrections": (
        ["c.id", "c.sort_order", "c.kind", "c.text", "c.published_at"],
        f"dateline_newsroom_articlecorrection c WHERE c.page_id = {ARTICLE}",
        ["c.sort_order", "c.id"],
    ),
}


def _json_rows(columns, tables, order) -> RawSQL:
    """A JSON array of the child rows, one array per row, as a correlated subquery.

    SQLite and PostgreSQL spell JSON aggregation differently; both answer in the
    article's own query, so its page costs one query for what would be four. Only
    the constants of ``CHILD_ROWS`` go into the SQL: nothing a reader sends.
    """
    row, order = ", ".join(columns), ", ".join(order)
    if connection.vendor == "postgresql":
        sql = "(SELECT coalesce(json_agg(json_build_array(%s) ORDER BY %s), '[]'::json) FROM %s)"  # noqa: E501
        return RawSQL(sql % (row, order, tables), [])  # noqa: S611
    sql = "(SELECT json_group_array(json(r)) FROM (SELECT json_array(%s) AS r FROM %s ORDER BY %s))"  # noqa: E501
    return RawSQL(sql % (row, tables, order), [])  # noqa: S611


def live_article_at(url_path: str):
    # Wagtail does not index url_path: on its own, the lookup reads every page of
    # the archive. The slug, the path's last part, is indexed and all but unique.
    slug = url_path.rstrip("/").rsplit("/", 1)[-1]
    return ArticlePage.objects.filter(
        slug=slug, url_path=url_path, live=True
    ).select_related("section", "lead_image")


def article_at(url_path: str) -> ArticlePage | None:
    """The live article at ``url_path``, with its section, lead image, bylines, tags,
    corrections and whatever ``article_page_annotations`` add: one query."""
    annotations = {
        f"{name}_json": _json_rows(*rows) for name, rows in CHILD_ROWS.items()
    }
    annotations.update(
        {name: build() for name, build in article_page_annotations.items()}
    )
    article = live_article_at(url_path).annotate(**annotations).first()
    if article is not None:
        attach_children(article)
    return article


def attach_children(article) -> None:
    """Hand the rows fetched as JSON to the relations templates read, as a prefetch
    would, so ``page.tags.all`` and the rest cost no query of their own."""
    bylines, authors = [], []
    for pk, order, author_pk, name, slug, job_title in _rows(article.bylines_json):
        author = Author.from_db(
            article._state.db,
            ["id", "name", "slug", "job_title"],
            [author_pk, name, slug, job_title],
        )
        byline = ArticleByline(
            pk=pk, sort_order=order, page_id=article.pk, author=author
        )
        bylines.append(byline)
        authors.append(author)
    tags = [
        Tag(pk=pk, name=name, slug=slug) for pk, name, slug in _rows(article.tags_json)
    ]
    corrections = [
        ArticleCorrection(
            pk=pk,
            sort_order=order,
            page_id=article.pk,
            kind=kind,
            text=text,
            published_at=_aware(published_at),
        )
        for pk, order, kind, text, published_at in _rows(article.corrections_json)
    ]
    article._prefetched_objects_cache = {
        "bylines": FakeQuerySet(ArticleByline, bylines),
        "tags": FakeQuerySet(Tag, tags),
        "corrections": FakeQuerySet(ArticleCorrection, corrections),
    }
    article.__dict__["authors"] = authors


def _rows(value):
    # PostgreSQL's driver decodes JSON; SQLite hands over its text.
    return json.loads(value) if isinstance(value, str) else (value or [])


def _aware(value):
    moment = parse_datetime(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def restricted_paths() -> list[str]:
    """Tree paths under a view restriction (of a page or of an alias of one), kept
    until the content version moves; saving a restriction moves it."""

    def build():
        pages = PageViewRestriction.objects.values_list("page_id", flat=True)
        covered = Page.objects.filter(Q(pk__in=pages) | Q(alias_of__in=pages))
        return list(covered.values_list("path", flat=True))

    return cached_for_version("restricted-paths", build)
