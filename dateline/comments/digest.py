"""The moderators' e-mail digest of comments waiting for them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail.models import Site

from dateline.worker.mail import send_once

from .models import Comment, CommentSettings
from .permissions import moderatable_comments, moderates_everything

EXCERPT_LENGTH = 200


def excerpt(text: str) -> str:
    """The start of a comment on one line."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[:EXCERPT_LENGTH] + "…"


def digest_recipients(rules: CommentSettings) -> list[str]:
    """The addresses in Settings › Comments, or else every active moderator's."""
    listed = CommentSettings.lines(rules.digest_recipients)
    if listed:
        return listed
    moderators = get_user_model().objects.with_perm(
        "dateline_comments.change_comment", include_superusers=True
    )
    emails = moderators.exclude(email="").values_list("email", flat=True)
    return sorted({email.lower() for email in emails})


def pending_comments(site: Site):
    """The site's pending comments, oldest first."""
    return (
        Comment.objects.pending()
        .filter(article__path__startswith=site.root_page.path)
        .select_related("article")
        .order_by("created_at", "pk")
    )


def send_pending_digest(site=None, now=None, once_key: str = "") -> int:
    """E-mail one plain-text list of ``site``'s pending comments to its moderators,
    when the site has the digest on and something is waiting. Returns how many
    comments it listed: 0 when nothing was sent. With ``once_key``, a digest with
    that key already sent is not sent again (a task run twice)."""
    site = site or Site.objects.select_related("root_page").get(is_default_site=True)
    rules = CommentSettings.for_site(site)
    recipients = digest_recipients(rules)
    if not rules.digest_enabled or not recipients:
        return 0
    comments = list(pending_comments(site))
    if not comments:
        return 0
    subject = ngettext(
        "%(count)d comment is waiting for moderation on %(site)s",
        "%(count)d comments are waiting for moderation on %(site)s",
        len(comments),
    )
    message = _digest(site, comments, subject, recipients, now)
    if not _send(message, once_key and f"{once_key}:{site.pk}"):
        return 0
    return len(comments)


def desk_editors(site: Site, rules: CommentSettings) -> list:
    """Editors who moderate their desk's comments and are not sent the moderators'
    digest: active, with an address, publishing somewhere, not Moderators."""
    if not rules.editors_moderate:
        return []
    whole = set(digest_recipients(rules))
    editors = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__page_permissions__permission__codename="publish_page",
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [
        user
        for user in editors
        if not moderates_everything(user) and user.email.lower() not in whole
    ]


def send_desk_digests(site=None, now=None, once_key: str = "") -> int:
    """E-mail each desk Editor the pending comments on their own desk's stories (see
    ``permissions``), when the digest is on. Returns how many Editors were sent one."""
    site = site or Site.objects.select_related("root_page").get(is_default_site=True)
    rules = CommentSettings.for_site(site)
    if not rules.digest_enabled:
        return 0
    sent = 0
    for editor in desk_editors(site, rules):
        theirs = moderatable_comments(editor, site).values("pk")
        comments = list(pending_comments(site).filter(pk__in=theirs))
        if not comments:
            continue
        subject = ngettext(
            "%(count)d comment on your desk's stories is waiting for moderation "
            "on %(site)s",
            "%(count)d comments on your desk's stories are waiting for moderation "
            "on %(site)s",
            len(comments),
        )
        message = _digest(site, comments, subject, [editor.email], now)
        sent += _send(message, once_key and f"{once_key}:{site.pk}:desk:{editor.pk}")
    return sent


def _digest(site, comments, subject, recipients, now) -> EmailMessage:
    context = {
        "site": site,
        "rows": [(comment, excerpt(comment.body)) for comment in comments],
        "now": now or timezone.now(),
        "queue_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("dateline_comments:queue"),
    }
    subject %= {"count": len(comments), "site": site.site_name or site.hostname}
    body = render_to_string("comments/admin/digest_email.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=recipients)


def _send(message: EmailMessage, once_key: str) -> bool:
    if not once_key:
        message.send()
        return True
    return send_once(once_key, message)
