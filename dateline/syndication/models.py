"""What the syndication app stores: the pages search engines are asked to leave out,
and the webhooks told about published stories."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class NoIndexPage(models.Model):
    """A page search engines are asked not to index.

    The page gets ``<meta name="robots" content="noindex">`` and is left out of every
    sitemap. Its feeds and its place in listings are unchanged: readers still find it.
    Kept here rather than as a field on the newsroom's pages so that syndication adds
    to the newsroom without the newsroom knowing.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    reason = models.CharField(
        _("reason"),
        max_length=200,
        blank=True,
        help_text=_("For the newsroom: why search engines should not list this page."),
    )

    panels = [FieldPanel("page"), FieldPanel("reason")]

    class Meta:
        verbose_name = _("page hidden from search engines")
        verbose_name_plural = _("pages hidden from search engines")

    def __str__(self):
        return str(self.page)

    def cache_tags(self):
        # The list every page's robots tag reads, the page itself (as the proxy
        # holds it) and the sitemaps that leave it out.
        pk = self.page_id
        return ["noindex", f"page:{pk}", f"article:{pk}", f"section:{pk}", "front"]


def validate_webhook_url(url):
    """Only http(s) addresses: a webhook must never read a file or another scheme."""
    URLValidator(schemes=["http", "https"])(url)


class Webhook(models.Model):
    """A partner's address that is told when stories are published or change."""

    class Event(models.TextChoices):
        PUBLISH = "publish", _("Published")
        UPDATE = "update", _("Updated")
        CORRECTION = "correction", _("Corrected")
        UNPUBLISH = "unpublish", _("Unpublished")

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500, validators=[validate_webhook_url])
    secret = models.CharField(
        _("secret"),
        max_length=200,
        help_text=_("Signs every delivery (X-Dateline-Signature: sha256=…)."),
    )
    active = models.BooleanField(_("active"), default=True)
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("Any of publish, update, correction, unpublish; empty for all."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("secret"),
        FieldPanel("active"),
        FieldPanel("events"),
    ]

    class Meta:
        verbose_name = _("webhook")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = set(self.events or []) - set(self.Event.values)
        if not isinstance(self.events, list) or unknown:
            raise ValidationError({"events": _("Unknown events: %s") % sorted(unknown)})

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class WebhookDelivery(models.Model):
    """One event for one webhook: sent, waiting for its next attempt, or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    event = models.CharField(_("event"), max_length=20, choices=Webhook.Event.choices)
    article_id = models.PositiveIntegerField(_("article id"), null=True, blank=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} → {self.webhook}"


# The content API's token scopes live beside the API; imported so Django finds them.
from .tokens import TokenAccess  # noqa: E402, F401


class ArchiveMonth(models.Model):
    """One month of a site's archive as the sitemap index lists it: how many stories
    search engines may index were first published in it, and when the newest of
    them was last published.

    Kept as stories are published, withdrawn, moved, restricted or hidden
    (``receivers.py``), rebuilt after bulk writes and once a day (``actions.py``),
    so that listing the index reads these rows and never the whole archive."""

    root = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("site root"),
    )
    month = models.DateField(
        _("month"), help_text=_("Its first day, in the site's time zone.")
    )
    count = models.PositiveIntegerField(_("stories"))
    lastmod = models.DateTimeField(_("last published"), null=True)

    class Meta:
        verbose_name = _("month of the archive")
        verbose_name_plural = _("months of the archive")
        constraints = [
            models.UniqueConstraint(
                fields=["root", "month"], name="dateline_archive_month_once"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.count}"
