"""Every change to a reader comment goes through here: the site, the admin, commands
and tests. ``do_*`` functions change state and record it; ``check_*`` functions check
the user's permission first."""

import hashlib
import unicodedata
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dateline.worker.queue import enqueue_with_commit

from . import conf, tasks
from .backends import HOLD, SPAM, Verdict
from .models import (
    Comment,
    CommenterBan,
    CommentReport,
    CommentSettings,
    ModerationLogEntry,
)
from .permissions import may_moderate
from .signals import comment_moderated, comment_submitted

# Moderation actions and the status each leads to.
ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "pending": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
}


def fingerprint(article_id, email, body) -> str:
    text = " ".join(body.lower().split())
    raw = f"{article_id}\n{email.lower()}\n{text}".encode()
    return hashlib.sha256(raw).hexdigest()


def thread_position(parent: Comment | None) -> tuple[Comment | None, int]:
    """Where a reply goes: under ``parent``, or beside it once the thread is deepest."""
    if parent is None:
        return None, 1
    if parent.depth >= conf.max_depth():
        return parent.parent, parent.depth
    return parent, parent.depth + 1


def initial_status(verdict: Verdict, held_by_policy: bool) -> str:
    if verdict.action == SPAM:
        return Comment.Status.SPAM
    if verdict.action == HOLD or held_by_policy:
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


def do_submit_comment(
    *,
    article,
    name,
    email,
    body,
    website="",
    parent=None,
    notify_replies=False,
    ip_address=None,
    user_agent="",
    verdict=None,
    held_by_policy=True,
) -> Comment:
    """Store a reader's comment with the status its checks and the moderation policy
    give it. A repeat of the same text by the same e-mail on the same article returns
    the stored comment instead of a second copy.

    The e-mail and IP address are stored for moderation only and never published.
    A commenter who asked to hear of replies is sent a confirmation e-mail, queued in
    the same transaction as the comment (a spam comment gets none).
    """
    verdict = verdict or Verdict("accept")
    parent, depth = thread_position(parent)
    print_ = fingerprint(article.pk, email, body)
    existing = Comment.objects.filter(article_id=article.pk, fingerprint=print_).first()
    if existing is not None:
        existing.duplicate = True
        return existing
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                article=article,
                parent=parent,
                thread_root_id=(parent.thread_root_id or parent.pk) if parent else None,
                depth=depth,
                name=name,
                email=email,
                website=website,
                body=body,
                status=initial_status(verdict, held_by_policy),
                hold_reason=verdict.reason[:300],
                notify_replies=notify_replies,
                fingerprint=print_,
                ip_address=ip_address,
                user_agent=user_agent[:300],
            )
            if notify_replies and comment.status != Comment.Status.SPAM:
                enqueue_with_commit(tasks.send_confirmation, comment.pk)
    except IntegrityError:  # the same post, sent twice at once: keep the first
        existing = Comment.objects.get(article_id=article.pk, fingerprint=print_)
        existing.duplicate = True
        return existing
    comment.duplicate = False
    comment_submitted.send(sender=Comment, comment=comment)
    return comment


def _log(comment, user, action, detail=""):
    ModerationLogEntry.objects.create(
        comment=comment, comment_ref=comment.pk, user=user, action=action, detail=detail
    )


def do_moderate_comment(
    comment: Comment, action: str, moderator=None, note=""
) -> Comment:
    """Approve, hold, spam or trash a comment, recording who did it and when.

    Approving also closes the comment's open reports.
    """
    status = ACTIONS[action]
    with transaction.atomic():
        comment.status = status
        comment.moderated_at = timezone.now()
        comment.moderated_by = moderator
        fields = ["status", "moderated_at", "moderated_by"]
        if action == "approve":
            comment.open_reports = 0
            fields.append("open_reports")
        comment.save(update_fields=fields)
        _log(comment, moderator, action, note)
    comment_moderated.send(sender=Comment, comment=comment, moderator=moderator)
    return comment


def do_moderate_comments(comments, action: str, moderator=None) -> int:
    count = 0
    for comment in comments:
        do_moderate_comment(comment, action, moderator)
        count += 1
    return count


def do_edit_comment(comment: Comment, body: str, moderator=None) -> Comment:
    """Change a comment's text, keeping the old text in the moderation log."""
    old = comment.body
    with transaction.atomic():
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        _log(comment, moderator, "edit", f"Previous text:\n{old}")
    comment_moderated.send(sender=Comment, comment=comment, moderator=moderator)
    return comment


def do_delete_comment(comment: Comment, moderator=None) -> None:
    with transaction.atomic():
        _log(comment, moderator, "delete", f"{comment.name}: {comment.body[:200]}")
        comment.delete()
    comment_moderated.send(sender=Comment, comment=comment, moderator=moderator)


def do_report_comment(comment: Comment, reason: str, detail="") -> CommentReport:
    """Record a reader's report. At the site's threshold, hide the comment pending
    review."""
    rules = CommentSettings.for_site(comment.article.get_site())
    with transaction.atomic():
        report = CommentReport.objects.create(
            comment=comment, reason=reason, detail=detail
        )
        Comment.objects.filter(pk=comment.pk).update(open_reports=F("open_reports") + 1)
        comment.refresh_from_db(fields=["open_reports", "status"])
        hide = (
            comment.status == Comment.Status.APPROVED
            and comment.open_reports >= rules.report_threshold
        )
        if hide:
            comment.status = Comment.Status.PENDING
            comment.save(update_fields=["status"])
            _log(comment, None, "hidden", f"{comment.open_reports} reader reports")
    if hide:
        comment_moderated.send(sender=Comment, comment=comment, moderator=None)
    return report


def do_ban_commenter(
    email: str = "",
    moderator=None,
    until=None,
    reason="",
    *,
    network: str = "",
    name_pattern: str = "",
    pending_to: str = "spam",
    now=None,
) -> CommenterBan:
    """Ban a commenter by e-mail, by a network of IP addresses or by a name pattern,
    and in the same transaction move their comments waiting in the queue to
    ``pending_to`` (``"spam"`` or ``"trash"``); ``ban.comments_moved`` says how many.

    A network ban ends when the addresses it is checked against are erased
    (``conf.ip_retention_days()`` from now), whatever ``until`` asks for.
    """
    if pending_to not in ("spam", "trash"):
        raise ValueError(f"banned comments go to spam or trash, not {pending_to!r}")
    now = now or timezone.now()
    if network:
        window_end = now + timedelta(days=conf.ip_retention_days())
        until = min(until, window_end) if until else window_end
    with transaction.atomic():
        ban = CommenterBan.objects.create(
            email=email,
            network=network,
            name_pattern=name_pattern,
            until=until,
            reason=reason,
            created_by=moderator,
        )
        moved = banned_pending(ban)
        for comment in moved:
            do_moderate_comment(comment, pending_to, moderator, note=f"banned: {ban}")
        _log_ban(ban, moved, moderator)
    ban.comments_moved = len(moved)
    return ban


def _log_ban(ban: CommenterBan, moved: list[Comment], moderator) -> None:
    """The log keeps entries against comments: the ban goes against the first
    comment it moved, else the first by its e-mail, else nowhere."""
    first = moved[0] if moved else None
    if first is None and ban.email:
        first = Comment.objects.filter(email__iexact=ban.email).first()
    if first is not None:
        _log(first, moderator, "ban", f"{ban} until {ban.until or 'further notice'}")


def banned_pending(ban: CommenterBan) -> list[Comment]:
    """The comments waiting for a moderator that ``ban`` covers."""
    pending = Comment.objects.pending()
    if ban.email:
        return list(pending.filter(email__iexact=ban.email))
    if ban.network:
        pending = pending.exclude(ip_address=None)
    return [
        comment
        for comment in pending
        if ban.covers(comment.email, comment.ip_address, comment.name)
    ]


def do_confirm_reply_notifications(comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(notify_confirmed_at=timezone.now())


def do_unsubscribe(email: str) -> int:
    """Stop every reply e-mail to ``email``. Returns how many comments it covered."""
    return Comment.objects.filter(email__iexact=email, notify_replies=True).update(
        notify_replies=False, notify_confirmed_at=None
    )


def do_erase_old_ip_addresses(now=None) -> int:
    """Forget commenters' IP addresses older than the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.ip_retention_days())
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .exclude(ip_address=None, user_agent="")
        .update(ip_address=None, user_agent="")
    )


def do_erase_commenter(email: str) -> int:
    """Delete every comment by ``email`` and its bans (erasure on request)."""
    count = 0
    with transaction.atomic():
        for comment in Comment.objects.filter(email__iexact=email):
            do_delete_comment(comment)
            count += 1
        CommenterBan.objects.filter(email__iexact=email).delete()
    return count


def normalise_name(name: str) -> str:
    """NFC, without control, format (bidi overrides) or surrogate characters."""
    name = unicodedata.normalize("NFC", name)
    kept = (
        ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"}
    )
    return " ".join("".join(kept).split())


def check_moderate_comment(user, comment: Comment, action: str) -> Comment:
    if not may_moderate(user, comment):
        raise PermissionDenied
    if action not in ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")
    return do_moderate_comment(comment, action, moderator=user)


def check_edit_comment(user, comment: Comment, body: str) -> Comment:
    if not may_moderate(user, comment):
        raise PermissionDenied
    return do_edit_comment(comment, body, moderator=user)


# Moderation queue actions (bulk and admin-only writes) go below this line.

# Only comments already taken out of sight can be deleted for good.
DELETABLE = {Comment.Status.SPAM, Comment.Status.TRASH}


def do_delete_comments(comments, moderator=None) -> int:
    """Delete comments for good, each with its own log entry. Replies go before the
    comments they answer: deleting a comment takes its replies with it, unlogged."""
    comments = sorted(comments, key=lambda comment: -comment.depth)
    for comment in comments:
        do_delete_comment(comment, moderator)
    return len(comments)


def check_moderate_comments(user, comments, action: str) -> int:
    """Apply one of ``ACTIONS``, or ``"delete"``, to every comment; return how many.

    Deleting also needs ``delete_comment``, and only spam and trash can be deleted.
    """
    comments = list(comments)
    if not all(may_moderate(user, comment) for comment in comments):
        raise PermissionDenied
    if action == "delete":
        if not user.has_perm("dateline_comments.delete_comment"):
            raise PermissionDenied
        comments = list(comments)
        if any(comment.status not in DELETABLE for comment in comments):
            raise ValueError("only spam and trash can be deleted")
        return do_delete_comments(comments, moderator=user)
    if action not in ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")
    return do_moderate_comments(comments, action, moderator=user)


def check_ban_commenter(user, email: str = "", until=None, reason="", **kwargs):
    if not user.has_perm("dateline_comments.add_commenterban"):
        raise PermissionDenied
    return do_ban_commenter(email, moderator=user, until=until, reason=reason, **kwargs)


def do_lift_ban(ban: CommenterBan, moderator=None) -> None:
    """End a ban now. The log records it against the commenter's first comment, when
    one is left to record it against."""
    with transaction.atomic():
        for comment in Comment.objects.filter(email__iexact=ban.email)[:1]:
            _log(comment, moderator, "lift_ban", ban.email)
        ban.delete()


def check_lift_ban(user, ban: CommenterBan) -> None:
    if not user.has_perm("dateline_comments.delete_commenterban"):
        raise PermissionDenied
    do_lift_ban(ban, moderator=user)
