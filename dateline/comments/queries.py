"""Reads of published comments for the article page and feeds: a fixed number of
queries for any number of comments."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.expressions import RawSQL

from . import conf
from .models import Comment

NEWEST, OLDEST = "newest", "oldest"


def published_count(article) -> int:
    known = getattr(article, "published_comment_count", None)
    if known is not None:  # counted in the article page's own query
        return known
    return Comment.objects.approved().for_article(article).count()


# Written out rather than built with the ORM: compiling two correlated subqueries
# cost more than running them, on every article view. Constants only.
APPROVED_OF_ARTICLE = (
    "SELECT COUNT(*) FROM dateline_comments_comment c WHERE c.article_id = "
    '"dateline_newsroom_articlepage"."page_ptr_id" AND c.status = %s'
)


def article_page_annotations():
    """The counts the article page shows, for ``newsroom.queries.article_at``."""
    approved = [Comment.Status.APPROVED.value]
    every = f"({APPROVED_OF_ARTICLE})"
    threads = f"({APPROVED_OF_ARTICLE} AND c.parent_id IS NULL)"
    return {
        "published_comment_count": lambda: RawSQL(every, approved),  # noqa: S611
        "published_thread_count": lambda: RawSQL(threads, approved),  # noqa: S611
    }


def thread_page(article, page_number=None, order=OLDEST):
    """A page of top-level comments, each with its approved replies in ``children``:
    one query when the article came with its counts, none when it has no comments."""
    sort = ("-created_at", "-pk") if order == NEWEST else ("created_at", "pk")
    roots = (
        Comment.objects.approved()
        .for_article(article)
        .filter(parent=None)
        .order_by(*sort)
    )
    paginator = Paginator(roots, conf.per_page())
    known = getattr(article, "published_thread_count", None)
    if known is not None:
        paginator.count = known  # a cached property: the count query is not made
    page = paginator.get_page(page_number)
    if not paginator.count:
        page.object_list = []
        return page
    shown = roots.values("pk")[page.start_index() - 1 : page.end_index()]
    rows = Comment.objects.approved().filter(
        Q(pk__in=shown) | Q(thread_root_id__in=shown)
    )
    rows = list(rows.order_by("created_at", "pk"))
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
