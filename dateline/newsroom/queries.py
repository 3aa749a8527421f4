"""Reads of published articles for listings and the article page. Each costs a fixed
number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction

from dateline.caching.tags import cached

from .models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
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


def live_article_at(url_path: str):
    # Wagtail does not index url_path: on its own, the lookup reads every page of
    # the archive. The slug, the path's last part, is indexed and all but unique.
    slug = url_path.rstrip("/").rsplit("/", 1)[-1]
    return ArticlePage.objects.filter(slug=slug, url_path=url_path, live=True)


def article_at(url_path: str) -> ArticlePage | None:
    """The live article at ``url_path`` with everything its page shows
    (``ArticlePageQuerySet.for_article_page``)."""
    return live_article_at(url_path).for_article_page().first()


def restricted_paths() -> list[str]:
    """Tree paths under a view restriction (of a page or of an alias of one), kept
    until the ``site`` tag is invalidated; saving a restriction does that."""

    def build():
        pages = PageViewRestriction.objects.values_list("page_id", flat=True)
        covered = Page.objects.filter(Q(pk__in=pages) | Q(alias_of__in=pages))
        return list(covered.values_list("path", flat=True))

    return cached("restricted-paths", build, ["site"])
