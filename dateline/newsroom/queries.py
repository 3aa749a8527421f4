"""Reads of published articles for listings and the article page. Each costs a fixed
number of queries."""

from collections import Counter
from datetime import UTC, datetime

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.utils import timezone
from taggit.models import Tag
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

from dateline.caching.tags import cached

from . import conf
from .compiled import CompiledRead
from .models import (
    ARTICLE_PAGE_QUERYSET_HOOK,
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    ArticleTag,
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


def card_prefetches():
    """What a listing card reads beyond the article row: its bylines with their
    authors and its lead image's renditions."""
    return [
        "lead_image__renditions",
        Prefetch("bylines", queryset=ArticleByline.objects.select_related("author")),
    ]


# Of an article's tags, how many "Related stories" looks through (an article with
# more is weighed on its first ones, by name).
RELATED_TAGS = 5
# How many stories "Related stories" reads in full to choose among, by tags shared.
RELATED_SHORTLIST = 40
_NEVER = datetime.min.replace(tzinfo=UTC)
# How many of the section's newest stories "More from <section>" reads to choose
# four among: a listing page's worth, which the databases read off the index.
MORE_READ = 12


def after_the_story(article, tag_ids, limit=4):
    """The reading that follows ``article``: ``related`` (stories sharing the most
    of ``tag_ids``, newest first among equals) and ``more`` (the newest of its
    section not already related).

    Its cost does not grow with the archive: related stories are chosen among the
    stories of the newest tag links of the article's tags (``shared_tag_counts``),
    not by counting shared tags over every story. Five queries however many stories
    and tags there are: the tag links, two for the rows, two for their cards'
    bylines and renditions.
    """
    others = (
        ArticlePage.objects.released()
        .select_related("section", "lead_image")
        .exclude(pk=article.pk)
    )
    related = []
    shared = shared_tag_counts(article, tag_ids)
    if shared:
        # Newer stories have higher ids: among equals, the shortlist keeps the newest.
        shortlist = sorted(shared, key=lambda pk: (shared[pk], pk), reverse=True)
        rows = others.filter(pk__in=shortlist[:RELATED_SHORTLIST])
        related = sorted(
            rows,
            key=lambda story: (
                shared[story.pk],
                story.first_published_at or _NEVER,
                story.pk,
            ),
            reverse=True,
        )[:limit]
    more = []
    if article.section_id:
        # The section's listing as its own page reads it, newest first off the
        # publication-date index, with this story and the related ones left out
        # here rather than in the query: excluding them in SQL, or asking for four
        # rows only, made SQLite's planner sort every story of the section instead.
        shown = {article.pk, *(story.pk for story in related)}
        listing = articles_in_section(article.section).prefetch_related(None)
        rows = listing[: max(MORE_READ, limit + len(shown))]
        more = [story for story in rows if story.pk not in shown][:limit]
    prefetch_related_objects(related + more, *card_prefetches())
    return {"related": related, "more": more}


def shared_tag_counts(article, tag_ids) -> Counter:
    """How many of ``tag_ids`` each story among the newest carrying them shares with
    ``article`` (drafts and embargoed stories included: the caller filters).

    One read of the newest ``conf.related_look_back()`` tag links per tag looked at,
    newest story first, whatever the archive's size or the article's tag count."""
    tags = sorted(tag_ids)[:RELATED_TAGS]
    newest = (
        ArticleTag.objects.filter(tag_id__in=tags)
        .exclude(content_object_id=article.pk)
        .order_by("-content_object_id")
        .values_list("content_object_id", flat=True)
    )
    return Counter(newest[: conf.related_look_back() * len(tags)])


def articles_in_section(section):
    """Articles under the section in the tree, and those filed also in it.

    The stories filed also in it are a subquery, not a join: a join would repeat
    a story for each match and need a ``DISTINCT`` over whole rows, which keeps the
    database from reading the newest stories off the publication-date index and
    stopping at the page's end."""
    under = Q(path__startswith=section.path, depth__gt=section.depth)
    filed_also = ArticlePage.also_in.through.objects.filter(sectionpage=section)
    also = Q(pk__in=filed_also.values("articlepage_id"))
    return published_articles().filter(under | also)


def articles_by_author(author):
    return _linked(ArticleByline.objects.filter(author=author), "page")


def articles_tagged(tag):
    return _linked(ArticleTag.objects.filter(tag=tag), "content_object")


# A tag's or an author's listing with at least this many stories is read newest
# first off the publication-date index, each story checked for its link, stopping
# at the page's end: the cost of a page, whatever the archive's size. One with
# fewer is read through its links and sorted, which is cheaper when its stories
# are few and spread over years of archive.
INDEX_WALK_FROM = 1000


def _linked(links, story: str):
    """Released articles among ``links`` (rows naming a story in ``story``), newest
    first, read the way that costs least for how many there are (one query to
    tell, reading at most ``INDEX_WALK_FROM`` link ids)."""
    ids = links.order_by().values_list(story, flat=True)
    if len(ids[INDEX_WALK_FROM - 1 : INDEX_WALK_FROM]):
        # A correlated EXISTS cannot drive the join, so the database walks the
        # stories newest first and stops when the page is full.
        return published_articles().filter(
            Exists(ids.filter(**{story: OuterRef("pk")}))
        )
    return published_articles().filter(pk__in=ids)


def released_tag(slug: str):
    """The tag at ``slug`` if readers may see it (``released_tags``), else None.

    Read by its slug, then one released story of it looked for newest first: the
    one query of ``released_tags().get(slug=...)`` made PostgreSQL join the tag
    with every released story before it chose one."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None or not articles_tagged(tag).exists():
        return None
    return tag


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


def live_article_at(url_path: str, articles=None, slug=None):
    # Wagtail does not index url_path: on its own, the lookup reads every page of
    # the archive. The slug, the path's last part, is indexed and all but unique.
    slug = slug_of(url_path) if slug is None else slug
    articles = ArticlePage.objects.all() if articles is None else articles
    return articles.filter(slug=slug, url_path=url_path, live=True)


def slug_of(url_path: str) -> str:
    return url_path.rstrip("/").rsplit("/", 1)[-1]


def article_at(url_path: str) -> ArticlePage | None:
    """The live article at ``url_path`` with everything its page shows
    (``ArticlePageQuerySet.for_article_page``), by SQL built once per process
    (``compiled.CompiledRead``)."""
    found = _article_page_read()(slug=slug_of(url_path), url_path=url_path)
    if not found:
        return None
    article = found[0]
    article.authors = _AUTHORS_OF(page_id=article.pk)
    return article


def _authors_of(page_id):
    # The byline's join is the one the ordering reads: annotated after the filter.
    return (
        Author.objects.filter(bylines__page_id=page_id)
        .annotate(position=F("bylines__sort_order"))
        .order_by("position")
    )


# The article's authors in byline order: what the page shows of its bylines.
_AUTHORS_OF = CompiledRead(Author, _authors_of, page_id=int)


def tag_slugs(article, request=None) -> list[str]:
    """The slugs of ``article``'s tags, sorted. A published story's are kept with it
    (``article:<id>``): what a kept page renders per view (its ad slots' targeting)
    then reads no row. A preview's are its draft's own."""

    def read():
        return sorted(tag.slug for tag in article.tags.all())

    if getattr(request, "is_preview", False) or not article.live or not article.pk:
        return read()
    key = f"article-tags:{article.pk}:{article.live_revision_id}"
    return cached(key, read, [f"article:{article.pk}"])


def _article_page_read() -> CompiledRead:
    extensions = tuple(hooks.get_hooks(ARTICLE_PAGE_QUERYSET_HOOK))
    read = _ARTICLE_PAGE_READ.get(extensions)
    if read is None:

        def build(slug, url_path):
            articles = ArticlePage.objects.all().for_article_page()
            return live_article_at(url_path, articles, slug=slug)[:1]

        _ARTICLE_PAGE_READ.clear()
        read = CompiledRead(ArticlePage, build, slug=str, url_path=str)
        _ARTICLE_PAGE_READ[extensions] = read
    return read


_ARTICLE_PAGE_READ: dict = {}


def restricted_paths() -> list[str]:
    """Tree paths under a view restriction (of a page or of an alias of one), kept
    until the ``site`` tag is invalidated; saving a restriction does that."""

    def build():
        # The restricted pages first, a short list (most sites have none): then
        # their paths and their aliases' by index, not by reading every page.
        pages = list(PageViewRestriction.objects.values_list("page_id", flat=True))
        if not pages:
            return []
        covered = Page.objects.filter(pk__in=pages).order_by().values_list("path")
        aliases = Page.objects.filter(alias_of__in=pages).order_by().values_list("path")
        return sorted(path for (path,) in covered.union(aliases))

    return cached("restricted-paths", build, ["site"])


# The newsroom's dashboard (``dashboard.py``): what needs doing, a few rows each, in
# a fixed number of queries however many stories wait.

DASHBOARD_ROWS = 10


def awaiting_review(user, limit=DASHBOARD_ROWS) -> list[tuple[Page, object]]:
    """Pages waiting on a review task ``user`` may act on, oldest request first, as
    (page, when the review was asked for)."""
    from wagtail.models import TaskState

    states = (
        TaskState.objects.reviewable_by(user)
        .filter(revision__base_content_type=_page_type())
        .order_by("started_at")
        .values_list("revision__object_id", "started_at")[:limit]
    )
    return _pages_with(list(states))


def scheduled_articles(limit=DASHBOARD_ROWS) -> list[tuple[Page, object]]:
    """Stories approved to go live later, soonest first, as (page, go-live time)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Revision

    revisions = (
        Revision.page_revisions.filter(
            approved_go_live_at__isnull=False,
            content_type=ContentType.objects.get_for_model(ArticlePage),
        )
        .order_by("approved_go_live_at")
        .values_list("object_id", "approved_go_live_at")[:limit]
    )
    return _pages_with(list(revisions))


def embargoed_articles(now=None, limit=DASHBOARD_ROWS):
    """Published stories still under embargo, the soonest lifted first."""
    now = now or timezone.now()
    return (
        ArticlePage.objects.live()
        .filter(embargo_until__gt=now)
        .only("title", "live", "embargo_until")
        .order_by("embargo_until")[:limit]
    )


def _page_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page)


def _pages_with(rows) -> list[tuple[Page, object]]:
    """``rows`` of (page id as stored in a revision, a time), each with its page."""
    pages = Page.objects.only("title").in_bulk([int(pk) for pk, _when in rows])
    return [(pages[int(pk)], when) for pk, when in rows if int(pk) in pages]


def public_authors():
    """Authors with a byline on a story readers may see. A writer's profile is made
    when they open their first story (``forms.ArticlePageForm``); it is listed once
    that story is out, and not before."""
    from .models import Author

    bylined = ArticleByline.objects.filter(
        author=OuterRef("pk"), page__in=ArticlePage.objects.released()
    )
    return (
        Author.objects.filter(Exists(bylined))
        .select_related("photo")
        .prefetch_related("photo__renditions")
    )
