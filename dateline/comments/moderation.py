"""Which rules apply to an article's comments: open or closed, and how moderated."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Site

from .models import Comment, CommentPolicy, CommentSettings, ModerationMode


def site_settings(article, request=None) -> CommentSettings:
    if request is not None:
        return CommentSettings.for_request(request)
    site = article.get_site() or Site.objects.get(is_default_site=True)
    return CommentSettings.for_site(site)


def moderation_mode(article, rules: CommentSettings) -> str:
    """The article's own mode, else its section's, else the site's."""
    pages = [article.pk, getattr(article, "section_id", None)]
    modes = dict(
        CommentPolicy.objects.filter(page__in=[pk for pk in pages if pk])
        .exclude(moderation="")
        .values_list("page_id", "moderation")
    )
    return next((modes[pk] for pk in pages if pk in modes), rules.moderation_mode)


def comments_open(article) -> bool:
    """The article's own switch: annotated by the article page's query
    (``queries.with_comment_policy``), else read here."""
    known = getattr(article, "comments_open", None)
    if known is not None:
        return known
    policy = CommentPolicy.objects.filter(page=article.pk).first()
    return policy is None or policy.comments_open


def comments_closed(article, rules: CommentSettings, now=None) -> bool:
    if not comments_open(article):
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
