"""Advertising sold and served by the outlet: where ads go (``Placement``), who buys
them (``Advertiser``), what was sold (``Campaign``), what readers see (``Creative``),
sponsored stories (``SponsoredArticle``), the house ad, and the daily counts."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from .sanitise import sanitise_creative_html

# Where a click may go: never javascript:, data: or anything but the web.
web_url = URLValidator(schemes=["http", "https"])


# Cache tags (dateline.caching.tags): the inventory is cached under the first; the
# pages depend only on what they show of it (slots, sponsored labels, house ads).
INVENTORY_TAG = "ads-inventory"
LAYOUT_TAG = "ads-layout"


class InventoryPart:
    """A row the ads inventory is built from: a change to it reloads the inventory,
    and when ``shown_in_pages`` also retires the cached pages."""

    shown_in_pages = False

    def cache_tags(self):
        return [INVENTORY_TAG, LAYOUT_TAG] if self.shown_in_pages else [INVENTORY_TAG]


@register_setting(icon="pick")
class HouseAd(InventoryPart, BaseSiteSetting):
    """The outlet's own ad: the last fallback, shown where no campaign fits."""

    shown_in_pages = True  # whether a no-JavaScript fallback is worth having

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


class Placement(InventoryPart, models.Model):
    """A named place on the site's pages where an ad may appear, with its size."""

    shown_in_pages = True  # which slots a page has

    class Kind(models.TextChoices):
        AFTER_PARAGRAPH = "after_paragraph", _("Article: after paragraph N")
        ARTICLE_END = "article_end", _("Article: after the story")
        HOME = "home", _("Home page: between blocks")
        SECTION_TOP = "section_top", _("Section page: top")
        SIDEBAR = "sidebar", _("Sidebar")

    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_(
            "Names the slot in the pages and in reports, e.g. article-inline-3."
        ),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("where"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(
        _("after"),
        default=0,
        help_text=_(
            "Article: the paragraph the slot follows; it is left out of stories "
            "with no paragraph after that one. Home page: the block it follows "
            "(1 lead story, 2 top stories, 3 latest, 4 and on the section blocks)."
        ),
    )
    width = models.PositiveSmallIntegerField(
        _("width"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    height = models.PositiveSmallIntegerField(
        _("height"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    small_width = models.PositiveSmallIntegerField(
        _("width on phones"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Screens narrower than 600 pixels. Leave empty to keep the size."),
    )
    small_height = models.PositiveSmallIntegerField(
        _("height on phones"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("key"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("position")]),
        FieldRowPanel([FieldPanel("width"), FieldPanel("height")]),
        FieldRowPanel([FieldPanel("small_width"), FieldPanel("small_height")]),
        FieldPanel("enabled"),
    ]

    class Meta:
        ordering = ["kind", "position", "key"]
        verbose_name = _("placement")

    def __str__(self):
        return f"{self.name} ({self.size_label})"

    @property
    def size_label(self) -> str:
        size = f"{self.width}×{self.height}"
        if self.small_width and self.small_height:
            size += f", {self.small_width}×{self.small_height}"
        return size

    def clean(self):
        super().clean()
        if bool(self.small_width) != bool(self.small_height):
            raise ValidationError(
                _("Give both the width and the height on phones, or neither.")
            )
        if (
            self.kind in (self.Kind.AFTER_PARAGRAPH, self.Kind.HOME)
            and not self.position
        ):
            raise ValidationError(
                {"position": _("Which paragraph or block comes before it?")}
            )


class Advertiser(InventoryPart, models.Model):
    """Who buys ads or sponsors stories."""

    shown_in_pages = True  # named in a sponsored article's notice

    name = models.CharField(_("name"), max_length=120, unique=True)
    website = models.URLField(_("website"), blank=True, validators=[web_url])
    contact = models.TextField(
        _("contact"), blank=True, help_text=_("For the ad desk; never published.")
    )

    panels = [FieldPanel("name"), FieldPanel("website"), FieldPanel("contact")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("advertiser")

    def __str__(self):
        return self.name


class CampaignTag(InventoryPart, TaggedItemBase):
    content_object = ParentalKey(
        "Campaign", related_name="tagged_items", on_delete=models.CASCADE
    )


class CampaignQuerySet(models.QuerySet):
    def running(self, now=None):
        """Campaigns that may be shown now or later: not paused and not over."""
        now = now or timezone.now()
        return self.filter(paused=False).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )


class Campaign(InventoryPart, ClusterableModel):
    """An order: an advertiser's ads, shown between two dates where it targets."""

    advertiser = models.ForeignKey(
        Advertiser,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("advertiser"),
    )
    name = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Its share of a slot against the other campaigns there: priority 6 is "
            "shown twice as often as priority 3."
        ),
    )
    house = models.BooleanField(
        _("house campaign"),
        default=False,
        help_text=_("Shown only where no paid campaign fits."),
    )
    paused = models.BooleanField(_("paused"), default=False)
    daily_cap = models.PositiveIntegerField(
        _("impressions a day"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    total_cap = models.PositiveIntegerField(
        _("impressions in all"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    placements = ParentalManyToManyField(
        Placement,
        blank=True,
        related_name="campaigns",
        verbose_name=_("placements"),
        help_text=_("None ticked: every placement."),
    )
    target_sections = ParentalManyToManyField(
        "dateline_newsroom.SectionPage",
        blank=True,
        related_name="+",
        verbose_name=_("sections"),
        help_text=_("Show only on these sections and their articles."),
    )
    target_tags = ClusterTaggableManager(
        through=CampaignTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Show only on articles with one of these tags."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    panels = [
        FieldPanel("advertiser"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("priority"), FieldPanel("house")]),
        FieldRowPanel([FieldPanel("daily_cap"), FieldPanel("total_cap")]),
        FieldPanel("placements", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("target_sections", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_tags"),
                InlinePanel("target_pages", label=_("Page")),
            ],
            heading=_("Targeting (empty: the whole site)"),
        ),
        FieldPanel("paused"),
    ]

    class Meta:
        ordering = ["-starts_at", "name"]
        verbose_name = _("campaign")

    def __str__(self):
        return (
            f"{self.advertiser.name}: {self.name}" if self.advertiser_id else self.name
        )

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("A campaign must end after it starts.")}
            )


class CampaignPage(InventoryPart, Orderable):
    campaign = ParentalKey(
        Campaign, on_delete=models.CASCADE, related_name="target_pages"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )

    panels = [PageChooserPanel("page")]


class Creative(InventoryPart, models.Model):
    """One ad: an image with its link, a short text, or HTML from the ad desk."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        TEXT = "text", _("Text")
        HTML = "html", _("HTML")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="creatives",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.IMAGE
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=200,
        blank=True,
        help_text=_("What the image says, for readers who cannot see it."),
    )
    headline = models.CharField(_("headline"), max_length=90, blank=True)
    text = models.CharField(_("text"), max_length=200, blank=True)
    html = models.TextField(
        _("HTML"),
        blank=True,
        help_text=_(
            "Cleaned when saved: no scripts, styles, frames or images from other "
            "sites survive."
        ),
    )
    click_url = models.CharField(
        _("click goes to"), max_length=500, validators=[web_url]
    )
    width = models.PositiveSmallIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveSmallIntegerField(
        _("height"),
        null=True,
        blank=True,
        help_text=_("Empty: fits any slot (an image is cropped to the slot's size)."),
    )
    active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("campaign"),
        FieldPanel("name"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("alt_text")], heading=_("Image ad")
        ),
        MultiFieldPanel(
            [FieldPanel("headline"), FieldPanel("text")], heading=_("Text ad")
        ),
        FieldPanel("html"),
        FieldPanel("click_url"),
        FieldRowPanel([FieldPanel("width"), FieldPanel("height")]),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["campaign", "name"]
        verbose_name = _("creative")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Cleaned on every save, whoever saves: the admin, an action or a shell.
        self.html = sanitise_creative_html(self.html)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.IMAGE and not self.image_id:
            raise ValidationError({"image": _("An image ad needs an image.")})
        if self.kind == self.Kind.TEXT and not self.headline:
            raise ValidationError({"headline": _("A text ad needs a headline.")})
        if self.kind == self.Kind.HTML and not sanitise_creative_html(self.html):
            raise ValidationError({"html": _("An HTML ad needs its HTML.")})
        if bool(self.width) != bool(self.height):
            raise ValidationError(_("Give both the width and the height, or neither."))

    def fits(self, width: int, height: int) -> bool:
        return not self.width or (self.width, self.height) == (width, height)


class SponsoredArticle(InventoryPart, models.Model):
    """An article paid for by an advertiser: labelled, with a disclaimer, and its
    links marked rel="sponsored"."""

    shown_in_pages = True  # the label on listing cards, the notice on the article

    page = models.OneToOneField(
        "dateline_newsroom.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    advertiser = models.ForeignKey(
        Advertiser,
        on_delete=models.PROTECT,
        related_name="sponsored_articles",
        verbose_name=_("advertiser"),
    )
    disclaimer = models.TextField(
        _("disclaimer"),
        default=_(
            "This article was paid for by the advertiser named above. The newsroom "
            "was not involved in writing it."
        ),
    )

    panels = [
        PageChooserPanel("page", "dateline_newsroom.ArticlePage"),
        FieldPanel("advertiser"),
        FieldPanel("disclaimer"),
    ]

    class Meta:
        verbose_name = _("sponsored article")

    def __str__(self):
        return str(self.page)

    def cache_tags(self):
        # The proxy holds the article under its own tag, not the app's layout one.
        return [*super().cache_tags(), f"article:{self.page_id}"]


class AdDailyCount(models.Model):
    """Impressions and clicks of one creative in one placement on one day: all that is
    kept. No reader, cookie or address is recorded."""

    day = models.DateField(_("day"))
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="+", verbose_name=_("campaign")
    )
    creative = models.ForeignKey(
        Creative, on_delete=models.PROTECT, related_name="+", verbose_name=_("creative")
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placement"),
    )
    impressions = models.PositiveBigIntegerField(_("impressions"), default=0)
    clicks = models.PositiveBigIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("daily ad count")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "campaign", "creative", "placement"],
                name="dateline_ads_one_count_row",
            )
        ]
        indexes = [models.Index(fields=["campaign", "day"])]

    def __str__(self):
        return f"{self.day} {self.campaign_id}/{self.creative_id}/{self.placement_id}"
