"""Comment e-mails and upkeep, done by the worker, never inside a reader's request.

A mail server that is away fails no page: the send is tried again later
(``retry_later``), and a task run twice sends one message (``send_once``).
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from dateline.worker.mail import SEND_ERRORS, send_once
from dateline.worker.periodic import EPOCH
from dateline.worker.queue import retry_later

from . import actions, notifications
from .models import Comment

DIGEST_EVERY = timedelta(hours=12)


def _comment(comment_id):
    return Comment.objects.select_related("article", "parent").filter(pk=comment_id)


@task()
def send_confirmation(comment_id: int, attempt: int = 1) -> bool:
    """Ask the commenter to confirm reply notifications; whether a mail went out."""
    comment = _comment(comment_id).first()
    if comment is None or not comment.notify_replies:
        return False
    try:
        return send_once(
            f"comment-confirm:{comment.pk}", notifications.confirmation(comment)
        )
    except SEND_ERRORS:
        retry_later(send_confirmation, attempt, comment_id)
        return False


@task()
def send_reply_notice(comment_id: int, attempt: int = 1) -> bool:
    """Tell the parent comment's author of this approved reply."""
    reply = _comment(comment_id).first()
    if reply is None or reply.parent is None or not reply.parent.notify_replies:
        return False
    try:
        return send_once(f"comment-reply:{reply.pk}", notifications.reply_notice(reply))
    except SEND_ERRORS:
        retry_later(send_reply_notice, attempt, comment_id)
        return False


@task()
def send_moderation_digest(slot: str = "", attempt: int = 1) -> int:
    """The moderators' digest, and each desk Editor's, once per half day
    (``DIGEST_EVERY``)."""
    from .digest import send_desk_digests, send_pending_digest

    if not slot:
        now = timezone.now()
        slot = (EPOCH + ((now - EPOCH) // DIGEST_EVERY) * DIGEST_EVERY).isoformat()
    try:
        sent = send_pending_digest(once_key=f"comment-digest:{slot}")
        send_desk_digests(once_key=f"comment-digest:{slot}")
        return sent
    except SEND_ERRORS:
        retry_later(send_moderation_digest, attempt, slot=slot)
        return 0


@task()
def erase_old_ip_addresses() -> int:
    return actions.do_erase_old_ip_addresses()
