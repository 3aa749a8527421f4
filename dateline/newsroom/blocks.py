"""StreamField blocks of an article body."""

import hashlib
import json

import nh3
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# Wagtail's stored rich-text format: page and document links carry ``linktype``/``id``
# instead of ``href``. Anything else, whoever wrote it, is dropped before it is stored.
_ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_rich_text(source: str) -> str:
    return nh3.clean(
        source,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    )


def sanitiser_version() -> str:
    """The sanitiser's rules and nh3's version: what paragraphs kept as rendered HTML
    (``body.py``) are retired by when they change."""
    rules = [
        sorted(_ALLOWED_TAGS),
        {tag: sorted(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        sorted(_URL_SCHEMES),
        PARAGRAPH_FEATURES,
        nh3.__version__,
    ]
    return hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()


class ParagraphBlock(blocks.RichTextBlock):
    """Rich text limited to a safe set of tags, sanitised whatever the source."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    def get_prep_value(self, value):
        return sanitise_rich_text(super().get_prep_value(value))

    def clean(self, value):
        value = super().clean(value)
        return RichText(sanitise_rich_text(value.source))

    class Meta:
        icon = "pilcrow"
        template = "newsroom/blocks/paragraph.html"


class BlockQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        required=False, max_length=200, label=_("Attribution")
    )

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/blockquote.html"


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Text"), max_length=300)
    attribution = blocks.CharBlock(
        required=False, max_length=200, label=_("Attribution")
    )

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/pullquote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Caption"))
    credit = blocks.CharBlock(required=False, max_length=120, label=_("Credit"))

    class Meta:
        icon = "image"
        template = "newsroom/blocks/image.html"


class EmbedBlock(blocks.StructBlock):
    """A video, post or map from another site, shown as a link until the reader asks.

    Wagtail's own embed block fetches oEmbed HTML from the provider and renders its
    iframe, which would make every reader's browser call that provider. Here nothing
    third-party loads with the page.
    """

    url = blocks.URLBlock(label=_("URL"))
    title = blocks.CharBlock(required=False, max_length=200, label=_("Title"))
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Caption"))

    class Meta:
        icon = "media"
        template = "newsroom/blocks/embed.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock(label=_("Paragraph"))
    subheading = blocks.CharBlock(
        max_length=200,
        label=_("Subheading"),
        icon="title",
        template="newsroom/blocks/subheading.html",
    )
    blockquote = BlockQuoteBlock(label=_("Block quote"))
    pullquote = PullQuoteBlock(label=_("Pull quote"))
    image = ImageBlock(label=_("Image"))
    embed = EmbedBlock(label=_("Embed"))
