"""E-mails to commenters: confirming reply notifications, and the replies themselves.
They are built here and sent by the worker (``tasks.py``), never in a request.

Every link is signed, so only the person who received the mail can act on it, and
every reply notice carries a one-click unsubscribe (RFC 8058 headers and a link)."""

from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from dateline.newsroom.addresses import absolute_url

CONFIRM_SALT = "dateline.comments.notify-confirm"
UNSUBSCRIBE_SALT = "dateline.comments.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def absolute(path: str) -> str:
    # Readers' links: on the site's own origin, like every address the site writes.
    return absolute_url(path)


def confirm_url(comment) -> str:
    token = signing.dumps({"c": comment.pk, "e": comment.email}, salt=CONFIRM_SALT)
    return absolute(reverse("comments:notify_confirm", args=[token]))


def unsubscribe_url(email: str) -> str:
    token = signing.dumps(email.lower(), salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("comments:unsubscribe", args=[token]))


def read_confirm_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None


def read_unsubscribe_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def _message(subject, template, context, to, unsubscribe=None) -> EmailMessage:
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    body = render_to_string(template, {**context, "unsubscribe_url": unsubscribe})
    return EmailMessage(subject, body, to=[to], headers=headers)


def confirmation(comment) -> EmailMessage:
    """The e-mail asking a commenter to confirm reply notifications."""
    return _message(
        _("Confirm reply notifications for your comment"),
        "comments/email/confirm.txt",
        {
            "comment": comment,
            "article": comment.article,
            "confirm_url": confirm_url(comment),
        },
        comment.email,
    )


def reply_notice(reply) -> EmailMessage:
    """The e-mail telling a comment's author of ``reply``."""
    parent = reply.parent
    article = reply.article
    return _message(
        _("%(name)s replied to your comment") % {"name": reply.name},
        "comments/email/reply.txt",
        {
            "reply": reply,
            "parent": parent,
            "article": article,
            "reply_url": absolute(f"{article.url}#comment-{reply.pk}"),
        },
        parent.email,
        unsubscribe=unsubscribe_url(parent.email),
    )
