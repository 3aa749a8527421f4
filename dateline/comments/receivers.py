from django.dispatch import receiver

from dateline.worker.queue import enqueue_with_commit

from . import tasks
from .models import Comment
from .signals import comment_moderated, comment_submitted


@receiver(comment_submitted)
@receiver(comment_moderated)
def notify_parent_of_reply(sender, comment, **kwargs):
    """Tell a comment's author of an approved reply, once, if they asked to be told."""
    if comment.status != Comment.Status.APPROVED or not comment.parent_id:
        return
    if comment.reply_notice_sent:
        return
    parent = comment.parent
    wanted = parent.notify_replies and parent.notify_confirmed_at is not None
    if not wanted or parent.email.lower() == comment.email.lower():
        return
    claimed = Comment.objects.filter(pk=comment.pk, reply_notice_sent=False).update(
        reply_notice_sent=True
    )
    if claimed:
        enqueue_with_commit(tasks.send_reply_notice, comment.pk)
