"""What a page tells search engines and social networks about itself.

The canonical URL, the description, robots, OpenGraph and Twitter card tags, and
schema.org JSON-LD (NewsArticle, BreadcrumbList, WebSite). ``metadata_for`` picks
the class for a page's type; each class is a set of hook methods an outlet can
override one at a time. Never an e-mail address: people are names and author pages.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import prefetch_related_objects
from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Site

from dateline.newsroom.models import (
    ArticlePage,
    HomePage,
    OutletSettings,
    SectionPage,
    TopicPage,
)
from dateline.newsroom.text import shorten

from . import conf, queries
from .links import absolute, root_url
from .text import iso_datetime, tag_names

LOGO = ("dateline_syndication/logo.png", 600, 60)
# About what search engines show of a description before cutting it.
DESCRIPTION_LENGTH = 160

# As Django's json_script: nothing in the data can close the <script> element or
# open a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data) -> str:
    """A ``<script type="application/ld+json">`` block holding ``data``.

    Browsers do not run data blocks, so the site's ``script-src 'self'`` policy
    neither blocks nor needs to allow them.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


class PageMetadata:
    """Head metadata of any Wagtail page."""

    og_type = "website"
    share_image_spec = "fill-1200x630"

    def __init__(self, page, request):
        self.page, self.request = page, request
        self.outlet = OutletSettings.for_request(request)
        self.site = Site.find_for_request(request)

    def absolute(self, url):
        return absolute(self.request, url)

    def title(self):
        return self.page.seo_title or self.page.title

    def description(self):
        return self.page.search_description

    def canonical_url(self):
        # A listing's later pages are pages of their own, not copies of the first.
        url = self.page.get_full_url(self.request)
        number = self.request.GET.get("page", "")
        return f"{url}?page={number}" if number.isdigit() and int(number) > 1 else url

    def robots(self):
        return "noindex" if queries.is_hidden_from_search(self.page) else ""

    def share_image(self):
        """The picture shown when the page is shared: a rendition, or None."""
        return None

    def open_graph(self):
        image = self.share_image()
        tags = [
            ("og:type", self.og_type),
            ("og:title", self.title()),
            ("og:description", self.description()),
            ("og:url", self.canonical_url()),
            ("og:site_name", self.outlet.name),
        ]
        if image is not None:
            tags += [
                ("og:image", self.absolute(image.url)),
                ("og:image:width", str(image.width)),
                ("og:image:height", str(image.height)),
                ("og:image:alt", image.alt),
            ]
        return [(name, value) for name, value in tags if value]

    def twitter(self):
        image = self.share_image()
        tags = [
            ("twitter:card", "summary_large_image" if image else "summary"),
            ("twitter:title", self.title()),
            ("twitter:description", self.description()),
        ]
        if image is not None:
            tags += [
                ("twitter:image", self.absolute(image.url)),
                ("twitter:image:alt", image.alt),
            ]
        return [(name, value) for name, value in tags if value]

    def json_ld(self):
        crumbs = self.breadcrumbs()
        return [crumbs] if crumbs else []

    def parents(self):
        """The pages between the site's home and this page, top down."""
        home = self.site.root_page
        if self.page.depth - 1 <= home.depth:
            return []
        return list(self.page.get_ancestors().filter(depth__gt=home.depth))

    def breadcrumbs(self):
        home = self.site.root_page
        if self.page.pk == home.pk:
            return None
        trail = [home, *self.parents(), self.page]
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": page.title,
                    "item": page.get_full_url(self.request),
                }
                for position, page in enumerate(trail, start=1)
            ],
        }

    def publisher(self):
        path, width, height = LOGO
        return {
            "@type": "NewsMediaOrganization",
            "name": self.outlet.name,
            "url": root_url(self.request) + "/",
            "logo": {
                "@type": "ImageObject",
                "url": self.absolute(static(path)),
                "width": width,
                "height": height,
            },
        }

    def head(self):
        """What the head template shows."""
        return {
            "canonical_url": self.canonical_url(),
            "description": self.description(),
            "robots": self.robots(),
            "open_graph": self.open_graph(),
            "twitter": self.twitter(),
            "json_ld": [json_ld_script(data) for data in self.json_ld()],
        }


class HomeMetadata(PageMetadata):
    def title(self):
        return self.page.seo_title or self.outlet.name

    def description(self):
        return self.page.search_description or self.outlet.tagline

    def json_ld(self):
        return [self.website(), {"@context": "https://schema.org", **self.publisher()}]

    def website(self):
        """The site, with the search box Google may show under its name."""
        return {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": self.outlet.name,
            "url": self.page.get_full_url(self.request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": self.absolute(conf.search_url()),
                },
                "query-input": "required name=search_term_string",
            },
        }


class SectionMetadata(PageMetadata):
    def description(self):
        return self.page.intro or self.page.search_description


class ArticleMetadata(PageMetadata):
    """A NewsArticle, as schema.org and Google's article documentation describe it."""

    og_type = "article"
    image_specs = ["fill-1200x675", "fill-1200x900", "fill-1200x1200"]

    def __init__(self, page, request):
        super().__init__(page, request)
        # The article template lists the tags and corrections too: fetched here once,
        # the template reads them without a query of its own.
        # A page previewed before its first save has nothing stored to fetch.
        related = ["tags", "corrections"] if hasattr(page, "corrections") else ["tags"]
        if page.pk is not None:
            prefetch_related_objects([page], *related)

    def description(self):
        # A story without a standfirst still needs a snippet in search results and
        # share cards: its opening words stand in.
        return (
            self.page.standfirst
            or self.page.search_description
            or self.page.opening(DESCRIPTION_LENGTH)
        )

    def canonical_url(self):
        return self.page.get_full_url(self.request)

    @cached_property
    def renditions(self):
        if self.page.lead_image is None:
            return {}
        specs = [*self.image_specs, self.share_image_spec]
        return self.page.lead_image.get_renditions(*specs)

    def share_image(self):
        return self.renditions.get(self.share_image_spec)

    def images(self):
        """The lead picture in each shape, with the size each file really has:
        Wagtail never enlarges, so "fill-1200x1200" of a 1600×900 source is 900×900."""
        return [
            {
                "@type": "ImageObject",
                "url": self.absolute(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
            }
            for rendition in (self.renditions.get(spec) for spec in self.image_specs)
            if rendition is not None
        ]

    def parents(self):
        # The section is the article's parent page and is loaded anyway for the page:
        # when it sits right under the home page the trail needs no query.
        section, home = self.page.section, self.site.root_page
        if (
            section is not None
            and section.depth == home.depth + 1
            and self.page.depth == section.depth + 1
        ):
            return [section]
        return super().parents()

    def tags(self):
        return tag_names(self.page.tags.all())

    def authors(self):
        return [
            {
                "@type": "Person",
                "name": author.name,
                "url": self.absolute(author.get_absolute_url()),
            }
            for author in self.page.authors
        ]

    def corrections(self):
        """The article's corrections, where the newsroom keeps them as ``corrections``.

        Update notes (``kind == "update"``) add news rather than fix an error, so
        they are not schema.org corrections.
        """
        corrections = getattr(self.page, "corrections", None)
        if corrections is None:
            return []
        if hasattr(corrections, "all"):
            corrections = corrections.all()
        corrections = [c for c in corrections if getattr(c, "kind", "") != "update"]
        return [
            _without_empty(
                {
                    "@type": "CorrectionComment",
                    "text": getattr(correction, "text", ""),
                    "datePublished": iso_datetime(
                        getattr(correction, "published_at", None)
                        or getattr(correction, "created_at", None)
                    ),
                }
            )
            for correction in corrections
        ]

    def news_article(self):
        article = self.page
        return _without_empty(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": article.title,
                "description": self.description(),
                "image": self.images(),
                "datePublished": iso_datetime(article.first_published_at),
                "dateModified": iso_datetime(
                    article.last_published_at or article.first_published_at
                ),
                "author": self.authors(),
                "publisher": self.publisher(),
                "mainEntityOfPage": self.canonical_url(),
                "url": self.canonical_url(),
                "articleSection": article.section.title if article.section else "",
                "keywords": self.tags(),
                "wordCount": article.word_count,
                "inLanguage": article.language,
                "correction": self.corrections(),
            }
        )

    def json_ld(self):
        return [self.news_article(), *super().json_ld()]

    def open_graph(self):
        article = self.page
        tags = [
            ("article:published_time", iso_datetime(article.first_published_at)),
            ("article:modified_time", iso_datetime(article.last_published_at)),
            ("article:section", article.section.title if article.section else ""),
            *[("article:tag", name) for name in self.tags()],
            *[("article:author", person["url"]) for person in self.authors()],
        ]
        return super().open_graph() + [(name, value) for name, value in tags if value]


class TopicMetadata(PageMetadata):
    def description(self):
        return self.page.search_description or self.page.intro


class ListingMetadata(PageMetadata):
    """Head metadata of a listing that is a view, not a Wagtail page (an author's or
    a tag's stories): the same tags, from the listing's own hooks."""

    def __init__(self, listing, request):
        super().__init__(None, request)
        self.listing = listing

    def listing_title(self):
        raise NotImplementedError

    def title(self):
        return self.listing_title()

    def canonical_url(self):
        # As a page's: later pages of the listing are pages of their own.
        url = self.absolute(self.request.path)
        number = self.request.GET.get("page", "")
        return f"{url}?page={number}" if number.isdigit() and int(number) > 1 else url

    def robots(self):
        return ""

    def json_ld(self):
        return []


class AuthorMetadata(ListingMetadata):
    og_type = "profile"

    def listing_title(self):
        return self.listing.name

    def description(self):
        author, outlet = self.listing, self.outlet.name
        if author.bio:
            return shorten(" ".join(author.bio.split()), DESCRIPTION_LENGTH)
        if author.job_title:
            return _("%(name)s, %(job_title)s: stories for %(outlet)s.") % {
                "name": author.name,
                "job_title": author.job_title,
                "outlet": outlet,
            }
        return _("Stories by %(name)s for %(outlet)s.") % {
            "name": author.name,
            "outlet": outlet,
        }


class TagMetadata(ListingMetadata):
    def listing_title(self):
        return self.listing.name

    def description(self):
        return _("Stories about %(tag)s from %(outlet)s, newest first.") % {
            "tag": self.listing.name,
            "outlet": self.outlet.name,
        }


METADATA_CLASSES = [
    (ArticlePage, ArticleMetadata),
    (SectionPage, SectionMetadata),
    (HomePage, HomeMetadata),
    (TopicPage, TopicMetadata),
]


# The Wagtail hook through which apps above syndication give their page types a
# metadata class: each function returns (page class, metadata class) pairs, tried
# before ``METADATA_CLASSES`` (the live app's live pages are articles too).
METADATA_CLASSES_HOOK = "dateline_page_metadata_classes"


def metadata_for(page, request) -> PageMetadata:
    """The metadata of ``page``, by the first class it is among those the
    ``METADATA_CLASSES_HOOK`` functions name, then ``METADATA_CLASSES``."""
    from wagtail import hooks

    extra = [pair for fn in hooks.get_hooks(METADATA_CLASSES_HOOK) for pair in fn()]
    for page_class, metadata_class in [*extra, *METADATA_CLASSES]:
        if isinstance(page, page_class):
            return metadata_class(page, request)
    return PageMetadata(page, request)
