"""Which rules apply to an article's comments: open or closed, and how moderated."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Site

from dateline.newsroom.models import ModerationMode

from .models import Comment, CommentSettings


def site_settings(article, request=None) -> CommentSettings:
    if request is not None:
        return CommentSettings.for_request(request)
    site = article.get_site() or Site.objects.get(is_default_site=True)
    return CommentSettings.for_site(site)


def moderation_mode(article, rules: CommentSettings) -> str:
    """The article's own mode, else its section's, else the site's."""
    if getattr(article, "comment_moderation", ""):
        return article.comment_moderation
    section = getattr(article, "section", None)
    if section is not None and section.comment_moderation:
        return section.comment_moderation
    return rules.moderation_mode


def comments_closed(article, rules: CommentSettings, now=None) -> bool:
    if not getattr(article, "comments_open", True):
        return True
    published = article.first_published_at
    if not rules.close_after_days or published is None:
        return False
    return (now or timezone.now()) > published + timedelta(days=rules.close_after_days)


def needs_moderation(article, rules: CommentSettings, email: str) -> bool:
    mode = moderation_mode(article, rules)
    if mode == ModerationMode.PUBLISH:
        return False
    if mode == ModerationMode.HOLD_FIRST:
        known = Comment.objects.approved().filter(email__iexact=email).exists()
        return not known
    return True
