from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="pick")
class HouseAd(BaseSiteSetting):
    """The outlet's own ad, shown in ad slots until campaigns are sold."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("300×250 pixels or the same proportions."),
    )
    link_url = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("Where a click goes: a full URL or a path on this site."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=200,
        blank=True,
        help_text=_("What the ad says, for readers who cannot see the image."),
    )

    panels = [FieldPanel("image"), FieldPanel("link_url"), FieldPanel("alt_text")]

    class Meta:
        verbose_name = _("house ad")
