"""Writes to the newsroom's content: the admin, commands and tests all come here."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import ArticleByline, ArticlePage


def do_create_article(section, *, authors, tags=(), **fields) -> ArticlePage:
    """Add a draft article under ``section`` with its bylines, in the order given.

    The article is not live until ``do_publish_article``.
    """
    article = ArticlePage(live=False, **fields)
    article.bylines = [
        ArticleByline(author=author, sort_order=i) for i, author in enumerate(authors)
    ]
    with transaction.atomic():
        section.add_child(instance=article)
        if tags:
            article.tags.set(list(tags))
            article.save()
    return article


def do_publish_article(article: ArticlePage, *, user=None) -> ArticlePage:
    """Publish the article's current state as a new revision.

    Reading time is counted as the revision is saved, so page views never count words.
    """
    revision = article.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    article.refresh_from_db()
    return article


def do_schedule_article(article: ArticlePage, go_live_at, *, user=None) -> ArticlePage:
    """Approve the article's current state to go live at ``go_live_at``.

    Wagtail keeps it as a scheduled revision; the scheduler publishes it when due.
    """
    article.go_live_at = go_live_at
    revision = article.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    article.refresh_from_db()
    return article


def do_retract_article(article: ArticlePage, *, reason: str, user=None) -> ArticlePage:
    """Take a published article down, recording why in the page's history."""
    from wagtail.log_actions import log

    with transaction.atomic():
        article.unpublish(user=user, log_action=None)
        log(
            instance=article,
            action="dateline.retract",
            user=user,
            data={"reason": reason},
        )
    article.refresh_from_db()
    return article


def check_retract_article(user, article: ArticlePage, reason: str) -> ArticlePage:
    if not article.permissions_for_user(user).can_unpublish():
        raise PermissionDenied
    return do_retract_article(article, reason=reason, user=user)
