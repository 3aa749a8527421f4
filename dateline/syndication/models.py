"""What the syndication app stores: the pages search engines are asked to leave out."""

from django.db import models
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
