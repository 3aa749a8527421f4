"""Every change to a reader comment goes through here: the site, the admin and tests."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import conf
from .models import Comment
from .signals import comment_moderated, comment_submitted


def initial_status() -> str:
    if conf.moderation_mode() == conf.PUBLISH:
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def do_submit_comment(
    *,
    article,
    name,
    email,
    body,
    website="",
    ip_address=None,
    user_agent="",
) -> Comment:
    """Store a reader's comment, held for moderation unless the outlet says otherwise.

    The e-mail and IP address are stored for moderation only and never published.
    """
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            name=name,
            email=email,
            website=website,
            body=body,
            status=initial_status(),
            ip_address=ip_address,
            user_agent=user_agent[:300],
        )
    comment_submitted.send(sender=Comment, comment=comment)
    return comment


def do_set_comment_status(comment: Comment, status: str, moderator=None) -> Comment:
    """Move a comment to ``status``, recording who did it and when."""
    comment.status = status
    comment.moderated_at = timezone.now()
    comment.moderated_by = moderator
    comment.save(update_fields=["status", "moderated_at", "moderated_by"])
    comment_moderated.send(sender=Comment, comment=comment, moderator=moderator)
    return comment


def check_moderate_comment(user, comment: Comment, status: str) -> Comment:
    if not user.has_perm("dateline_comments.change_comment"):
        raise PermissionDenied
    if status not in Comment.Status.values:
        raise ValueError(f"unknown comment status {status!r}")
    return do_set_comment_status(comment, status, moderator=user)
