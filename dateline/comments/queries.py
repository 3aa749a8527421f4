"""Reads of published comments for the article page and feeds: a fixed number of
queries for any number of comments."""

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from dateline.newsroom.compiled import CompiledRead

from . import conf
from .models import Comment, CommentPolicy

NEWEST, OLDEST = "newest", "oldest"


def published_count(article) -> int:
    known = getattr(article, "published_comment_count", None)
    if known is not None:  # counted in the article page's own query
        return known
    return Comment.objects.approved().for_article(article).count()


def with_published_counts(articles):
    """``articles`` annotated with the counts their pages show, each a subquery of
    the articles' own query: ``published_comment_count`` and
    ``published_thread_count`` (top-level comments, which pages are cut into)."""
    approved = Comment.objects.approved().filter(article=OuterRef("pk"))
    return articles.annotate(
        published_comment_count=_count(approved),
        published_thread_count=_count(approved.filter(parent=None)),
    )


def with_comment_policy(articles):
    """``articles`` annotated with ``comments_open``: their own switch, or open for
    an article without a ``CommentPolicy``."""
    policy = CommentPolicy.objects.filter(page=OuterRef("pk"))
    switch = Subquery(policy.values("comments_open")[:1])
    return articles.annotate(comments_open=Coalesce(switch, Value(True)))


def _count(comments):
    counted = comments.order_by().values("article").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


class CountedPaginator(Paginator):
    """A paginator that may be told its count, when the query that fetched the
    article counted its comments already, so the count is not asked again."""

    def __init__(self, object_list, per_page, *, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        return super().count


def thread_page(article, page_number=None, order=OLDEST):
    """A page of top-level comments, each with its approved replies in ``children``:
    one query when the article came with its counts, none when it has no comments."""
    known = getattr(article, "published_thread_count", None)
    if known is not None and known <= conf.per_page():
        # Every thread is on one page (most articles): its comments are all the
        # article's published ones, read by SQL built once per process.
        paginator = CountedPaginator([], conf.per_page(), known_count=known)
        page = paginator.get_page(page_number)
        rows = _PUBLISHED_OF(article_id=article.pk) if known else []
        return _threads(page, rows, order)
    sort = ("-created_at", "-pk") if order == NEWEST else ("created_at", "pk")
    roots = (
        Comment.objects.approved()
        .for_article(article)
        .filter(parent=None)
        .order_by(*sort)
    )
    paginator = CountedPaginator(roots, conf.per_page(), known_count=known)
    page = paginator.get_page(page_number)
    if not paginator.count:
        return _threads(page, [], order)
    if paginator.num_pages == 1:
        rows = list(_published_of(article.pk))
    else:
        shown = roots.values("pk")[page.start_index() - 1 : page.end_index()]
        rows = Comment.objects.approved().filter(
            Q(pk__in=shown) | Q(thread_root_id__in=shown)
        )
        rows = list(rows.order_by("created_at", "pk"))
    return _threads(page, rows, order)


def _published_of(article_id):
    return (
        Comment.objects.approved()
        .filter(article_id=article_id)
        .order_by("created_at", "pk")
    )


_PUBLISHED_OF = CompiledRead(Comment, _published_of, article_id=int)


def _threads(page, rows, order):
    """``page`` holding the threads of ``rows`` (oldest first): a page's top-level
    comments with their replies; replies whose thread is on another page dropped."""
    shown = {row.pk for row in rows if row.parent_id is None}
    rows = [row for row in rows if row.pk in shown or row.thread_root_id in shown]
    page.object_list = [row for row in rows if row.parent_id is None]
    if order == NEWEST:
        page.object_list.reverse()
    attach_replies(page.object_list, [row for row in rows if row.parent_id])
    return page


def attach_replies(roots, replies):
    """Give each comment a ``children`` list; ``replies`` in the order they came."""
    by_id = {root.pk: root for root in roots}
    for root in roots:
        root.children = []
    for reply in replies:
        reply.children = []
        by_id[reply.pk] = reply
        # A reply whose parent is not published joins its thread's first comment.
        home = by_id.get(reply.parent_id) or by_id[reply.thread_root_id]
        home.children.append(reply)
    return roots


def latest_for_feed(article, limit=50):
    comments = list(
        Comment.objects.approved().for_article(article).order_by("-created_at")[:limit]
    )
    for comment in comments:
        comment.article = article  # one article: no query per item for its URL
    return comments


def everything_about(email: str) -> dict:
    """All we store about the person behind ``email``, for an access request."""
    from .models import CommenterBan

    comments = Comment.objects.filter(email__iexact=email).select_related("article")
    return {
        "email": email,
        "comments": [
            {
                "id": c.pk,
                "article": c.article.title,
                "article_url": c.article.url,
                "name": c.name,
                "website": c.website,
                "text": c.body,
                "status": c.status,
                "posted": c.created_at,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "reply_notifications": c.notify_replies,
            }
            for c in comments
        ],
        "bans": list(
            CommenterBan.objects.filter(email__iexact=email).values("reason", "until")
        ),
    }
