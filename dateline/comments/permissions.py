"""Who moderates which comments.

Moderators (``change_comment``) moderate every comment. An Editor moderates the
comments on their desk's stories: the pages under those their groups may publish
(``publish_page`` in Wagtail's page permissions, given on a section or on the
whole tree), while the site's *Editors moderate their desk's comments* setting is
on (Settings › Comments, on by default; Administrators decide).
"""

from django.db.models import Q
from wagtail.models import GroupPagePermission, Site

from .models import Comment, CommentSettings


def moderates_everything(user) -> bool:
    return user.has_perm("dateline_comments.change_comment")


def desk_paths(user) -> list[str]:
    """Tree paths of the pages ``user`` may publish, and so moderate under."""
    if not user.is_active:
        return []
    grants = GroupPagePermission.objects.filter(
        group__user=user, permission__codename="publish_page"
    )
    return sorted(set(grants.values_list("page__path", flat=True)))


def editors_moderate(site=None) -> bool:
    site = site or Site.objects.filter(is_default_site=True).first()
    return CommentSettings.for_site(site).editors_moderate


def moderatable_comments(user, site=None):
    """The comments ``user`` may moderate on ``site`` (the default site if None)."""
    if moderates_everything(user):
        return Comment.objects.all()
    if not editors_moderate(site):
        return Comment.objects.none()
    paths = desk_paths(user)
    if not paths:
        return Comment.objects.none()
    under = Q()
    for path in paths:
        under |= Q(article__path__startswith=path)
    return Comment.objects.filter(under)


def can_moderate(user, site=None) -> bool:
    """Whether ``user`` moderates any comments at all (the queue is theirs)."""
    if moderates_everything(user):
        return True
    return editors_moderate(site) and bool(desk_paths(user))


def may_moderate(user, comment: Comment) -> bool:
    if moderates_everything(user):
        return True
    site = comment.article.get_site()
    return moderatable_comments(user, site).filter(pk=comment.pk).exists()
