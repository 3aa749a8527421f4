from django import template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Page

from dateline.caching.tags import cached
from dateline.newsroom.invalidation import SETTINGS_TAG
from dateline.newsroom.models import Author, OutletSettings, SectionPage

from ..feeds import feed_title
from ..metadata import ArticleMetadata, AuthorMetadata, TagMetadata, metadata_for

register = template.Library()

FEED_FORMATS = [
    ("application/rss+xml", "", ""),
    ("application/atom+xml", "_atom", "Atom"),
    ("application/feed+json", "_json", "JSON Feed"),
]


def feed_links(url_name, title, **kwargs):
    """``<link rel="alternate">`` entries for one feed in every format."""
    return [
        {
            "type": media_type,
            "title": f"{title} ({label})" if label else title,
            "href": reverse(f"syndication:{url_name}{suffix}", kwargs=kwargs),
        }
        for media_type, suffix, label in FEED_FORMATS
    ]


def feeds_in_context(context, outlet_name):
    """The site's feeds, then those of the section, author or tag the page is about,
    each titled as the feed titles itself."""
    feeds = feed_links("feed", outlet_name or _("Latest stories"))
    page, author, tag = context.get("page"), context.get("author"), context.get("tag")
    if isinstance(page, SectionPage):
        title, url_name, slug = page.title, "section_feed", page.slug
    elif isinstance(author, Author):
        title, url_name, slug = author.name, "author_feed", author.slug
    elif isinstance(tag, Tag):
        title, url_name, slug = tag.name, "tag_feed", tag.slug
    else:
        return feeds
    return feeds + feed_links(url_name, feed_title(title, outlet_name), slug=slug)


@register.inclusion_tag("dateline_syndication/head.html", takes_context=True)
def syndication_head(context):
    """Feed links for every page; for a Wagtail page, its canonical URL, description,
    robots, OpenGraph, Twitter card and JSON-LD too."""
    request = context.get("request")
    if request is None:
        return {"feeds": feeds_in_context(context, "")}
    outlet_name = OutletSettings.for_request(request).name
    metadata = metadata_in_context(context, request)
    meta = head_of(metadata, request) if metadata else None
    return {"feeds": feeds_in_context(context, outlet_name), "meta": meta}


def head_of(metadata, request):
    """``metadata.head()``; an article's is kept until the article, its bylines,
    section or lead image, the site or its settings change. It is the same for every
    reader and was the costliest part of the page's head to work out."""
    page = metadata.page if type(metadata) is ArticleMetadata else None
    if page is None or page.pk is None or getattr(request, "is_preview", False):
        return metadata.head()
    tags = [
        f"article:{page.pk}",
        "bylines",
        SETTINGS_TAG,
        "site",
        *(f"author:{author.pk}" for author in page.authors),
        *([f"section:{page.section_id}"] if page.section_id else []),
        *([f"image:{page.lead_image_id}"] if page.lead_image_id else []),
    ]
    key = f"article-head:{page.pk}:{getattr(metadata.site, 'pk', 0)}:{get_language()}"
    return cached(key, metadata.head, tags, page_tags=[])


def metadata_in_context(context, request):
    """The metadata of the Wagtail page, author or tag the page is about, if any."""
    page, author, tag = context.get("page"), context.get("author"), context.get("tag")
    if isinstance(page, Page):
        return metadata_for(page, request)
    if isinstance(author, Author):
        return AuthorMetadata(author, request)
    if isinstance(tag, Tag):
        return TagMetadata(tag, request)
    return None
