"""Reads of published comments for the article page and feeds: a fixed number of
queries for any number of comments."""

from django.core.paginator import Paginator

from . import conf
from .models import Comment

NEWEST, OLDEST = "newest", "oldest"


def published_count(article) -> int:
    return Comment.objects.approved().for_article(article).count()


def thread_page(article, page_number=None, order=OLDEST):
    """A page of top-level comments, each with its approved replies in ``children``."""
    sort = ("-created_at", "-pk") if order == NEWEST else ("created_at", "pk")
    roots = (
        Comment.objects.approved()
        .for_article(article)
        .filter(parent=None)
        .order_by(*sort)
    )
    page = Paginator(roots, conf.per_page()).get_page(page_number)
    attach_replies(list(page.object_list))
    return page


def attach_replies(roots):
    """Give each comment a ``children`` list, loading every reply in one query."""
    by_id = {root.pk: root for root in roots}
    for root in roots:
        root.children = []
    replies = Comment.objects.approved().filter(thread_root_id__in=list(by_id))
    for reply in replies.order_by("created_at", "pk"):
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
