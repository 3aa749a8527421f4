"""Reader comments, kept apart from the editors' own comments in the Wagtail editor."""

import fnmatch
import ipaddress

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from dateline.newsroom.invalidation import CachedSetting

from .text import render_comment


class ModerationMode(models.TextChoices):
    HOLD = "hold", _("Hold every comment for a moderator")
    HOLD_FIRST = "hold_first", _("Hold first-time commenters only")
    PUBLISH = "publish", _("Publish immediately")


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def reported(self):
        return self.filter(open_reports__gt=0).exclude(
            status__in=[Comment.Status.SPAM, Comment.Status.TRASH]
        )

    def for_article(self, article):
        return self.filter(article_id=article.pk)

    def in_queue(self, queue):
        if queue == "reported":
            return self.reported()
        return self.filter(status=queue)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="reader_comments",
        verbose_name=_("article"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # The top-level comment of the thread, so a page of threads loads its replies in
    # one query.
    thread_root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="thread_replies",
    )
    depth = models.PositiveSmallIntegerField(_("thread depth"), default=1)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254)
    website = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why a comment was held or marked spam, by the checks in backends/.
    hold_reason = models.CharField(_("held because"), max_length=300, blank=True)
    open_reports = models.PositiveIntegerField(_("open reports"), default=0)
    notify_replies = models.BooleanField(_("wants reply e-mails"), default=False)
    notify_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set once the parent's author was told of this reply, so it is told only once.
    reply_notice_sent = models.BooleanField(default=False)
    # Identifies a repeat of the same text by the same person on the same article.
    fingerprint = models.CharField(max_length=64, db_index=True, blank=True)
    # Kept for moderation and abuse defence only, erased after the retention period;
    # never rendered on a public page.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="one_copy_of_a_comment",
            )
        ]
        verbose_name = _("comment")

    def __str__(self):
        return _("%(name)s on %(article)s") % {
            "name": self.name,
            "article": self.article_id,
        }

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._loaded_status = self.status  # what readers may now see

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    @property
    def body_html(self):
        """The text as readers see it, in paragraphs, its addresses made links."""
        return render_comment(self.body)

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment._loaded_status = getattr(comment, "status", None)
        return comment

    def cache_tags(self):
        """Readers see a comment while it is approved: a change to one that is or
        was approved alters its article's page (and the count it shows), nothing
        else. A comment held for moderation changes no page."""
        seen = self.Status.APPROVED in (
            self.status,
            getattr(self, "_loaded_status", None),
        )
        return [f"comments-of:{self.article_id}"] if seen else []


class CommentReport(models.Model):
    """A reader's flag on a comment. Enough of them hide it until a moderator looks."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or hateful")
        PERSONAL = "personal", _("Shares someone's personal details")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.comment_id})"


class ModerationLogEntry(models.Model):
    """Who did what to which comment, and when. Kept when the comment is deleted."""

    comment = models.ForeignKey(
        Comment, null=True, on_delete=models.SET_NULL, related_name="log_entries"
    )
    comment_ref = models.PositiveBigIntegerField(_("comment number"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.action} #{self.comment_ref}"


class CommenterBanQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(until__isnull=True) | Q(until__gt=now))

    def matching(self, *, email="", ip_address=None, name=""):
        """The bans among these that cover a commenter: by their e-mail, their
        address in a banned network, or their name matching a banned pattern. One
        query; networks and patterns are few and compared here."""
        email = (email or "").strip().lower()
        by_email = Q(email=email) if email else Q(pk__in=[])
        candidates = self.filter(by_email | ~Q(network="") | ~Q(name_pattern=""))
        return [ban for ban in candidates if ban.covers(email, ip_address, name)]


class CommenterBan(models.Model):
    """A commenter who may no longer comment: by e-mail, by a network of IP
    addresses (only while addresses are kept, ``DATELINE_COMMENTS_IP_RETENTION_DAYS``)
    or by a name pattern (``*`` for any characters, case ignored)."""

    email = models.EmailField(_("e-mail"), db_index=True, blank=True)
    network = models.CharField(
        _("IP network"),
        max_length=49,
        blank=True,
        help_text=_("An address or a network such as 203.0.113.0/24."),
    )
    name_pattern = models.CharField(
        _("name pattern"),
        max_length=100,
        blank=True,
        help_text=_("A name, * standing for any characters, e.g. *casino*."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    until = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a permanent ban."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommenterBanQuerySet.as_manager()

    panels = [
        FieldPanel("email"),
        FieldPanel("network"),
        FieldPanel("name_pattern"),
        FieldPanel("reason"),
        FieldPanel("until"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ban")

    def __str__(self):
        return self.email or self.network or self.name_pattern

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.name_pattern = " ".join(self.name_pattern.lower().split())
        super().save(*args, **kwargs)

    @property
    def kind(self) -> str:
        if self.network:
            return "network"
        return "name" if self.name_pattern else "email"

    def covers(self, email="", ip_address=None, name="") -> bool:
        if self.email:
            return self.email == (email or "").strip().lower()
        if self.network:
            return ip_in_network(ip_address, self.network)
        if self.name_pattern:
            name = " ".join((name or "").lower().split())
            return fnmatch.fnmatchcase(name, self.name_pattern)
        return False


def ip_in_network(ip_address, network: str) -> bool:
    if not ip_address:
        return False
    try:
        return ipaddress.ip_address(ip_address) in ipaddress.ip_network(
            network, strict=False
        )
    except ValueError:
        return False


class CommentPolicy(models.Model):
    """A page's own rules for its comments, set in its editor's Settings tab: an
    article may be closed or moderated its own way, a section may set the mode for
    its articles. A page without one follows its section, then the site.

    Kept with the page's revisions (a child of the page, like its bylines), so a
    change goes live when the page is published, as the rest of its settings do.
    """

    page = ParentalKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="comment_policy"
    )
    comments_open = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_("Untick to close this article's comments now."),
    )
    moderation = models.CharField(
        _("comment moderation"),
        max_length=20,
        blank=True,
        choices=ModerationMode.choices,
        help_text=_("Leave empty to follow the section, then the site."),
    )

    class Meta:
        verbose_name = _("comment policy")
        constraints = [
            models.UniqueConstraint(fields=["page"], name="one_comment_policy_per_page")
        ]

    def __str__(self):
        return str(_("Comment policy"))


@register_setting(icon="comment")
class CommentSettings(CachedSetting, BaseSiteSetting):
    """How this site's comments are moderated. Sections and articles may override."""

    moderation_mode = models.CharField(
        _("moderation"),
        max_length=20,
        choices=ModerationMode.choices,
        default=ModerationMode.HOLD,
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        default=30,
        help_text=_("Days after publication; 0 keeps comments open."),
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports that hide a comment"), default=3
    )
    max_links = models.PositiveSmallIntegerField(
        _("links allowed before a comment is held"), default=2
    )
    blocked_words = models.TextField(
        _("blocked words"), blank=True, help_text=_("One per line: refused as spam.")
    )
    held_words = models.TextField(
        _("held words"), blank=True, help_text=_("One per line: held for a moderator.")
    )
    blocked_emails = models.TextField(
        _("blocked e-mail addresses and domains"),
        blank=True,
        help_text=_("One per line: name@example.com, or example.com for a domain."),
    )
    blocked_ips = models.TextField(
        _("blocked IP addresses"),
        blank=True,
        help_text=_("One per line: an address or a network such as 203.0.113.0/24."),
    )
    editors_moderate = models.BooleanField(
        _("editors moderate their desk's comments"),
        default=True,
        help_text=_(
            "Editors may moderate comments on the stories in the sections they "
            "publish, besides the Moderators, who moderate every comment."
        ),
    )
    digest_enabled = models.BooleanField(
        _("e-mail a digest of pending comments"), default=False
    )
    digest_recipients = models.TextField(
        _("digest recipients"),
        blank=True,
        help_text=_("One address per line; empty sends to every moderator."),
    )

    panels = [
        FieldPanel("moderation_mode"),
        FieldPanel("close_after_days"),
        FieldPanel("report_threshold"),
        FieldPanel("editors_moderate"),
        MultiFieldPanel(
            [
                FieldPanel("max_links"),
                FieldPanel("blocked_words"),
                FieldPanel("held_words"),
                FieldPanel("blocked_emails"),
                FieldPanel("blocked_ips"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [FieldPanel("digest_enabled"), FieldPanel("digest_recipients")],
            heading=_("Moderator digest"),
        ),
    ]

    class Meta:
        verbose_name = _("comments")

    @staticmethod
    def lines(text):
        return [line.strip().lower() for line in text.splitlines() if line.strip()]
