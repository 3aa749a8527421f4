"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest stories, for the whole site, a
section, a tag or an author.

Each feed is a Django ``Feed`` whose hook methods an outlet can override one at a
time. Items never carry an e-mail address: bylines are names (RSS ``dc:creator``,
Atom ``<author><name>``, JSON Feed ``authors``), because RSS's own ``<author>``
element must hold an e-mail and authors' e-mails are for the newsroom only.
"""

import json
import mimetypes
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from dateline.caching.tags import add_tags
from dateline.newsroom import queries as newsroom_queries
from dateline.newsroom.models import Author, OutletSettings, SectionPage

from . import conf
from .links import absolute, root_url
from .queries import for_feed
from .text import feed_html, feed_text, tag_names

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class RssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with each item's language as Dublin Core's ``dc:language``: RSS has
    a language for the channel only, and one outlet publishes in several."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement(
                "dc:language", item["language"], {"xmlns:dc": DUBLIN_CORE}
            )


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom with one ``<author>`` per byline, as the format allows, and each entry's
    language as its ``xml:lang``."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler, item):
        authors = item.get("authors") or []
        super().add_item_elements(
            handler, {**item, "author_name": None} if authors else item
        )
        for author in authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            if author.get("url"):
                handler.addQuickElement("uri", author["url"])
            handler.endElement("author")


class JSONFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1: https://www.jsonfeed.org/version/1.1/"""

    content_type = "application/feed+json; charset=utf-8"
    version = "https://jsonfeed.org/version/1.1"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.document(), ensure_ascii=False))

    def document(self):
        feed = self.feed
        document = {
            "version": self.version,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
        }
        document = {key: value for key, value in document.items() if value}
        document["items"] = [self.item_document(item) for item in self.items]
        return document

    def item_document(self, item):
        document = {"id": item["unique_id"] or item["link"], "url": item["link"]}
        document["title"] = item["title"]
        if item.get("full_text"):
            document["content_html"] = item["description"] or ""
        else:
            document["content_text"] = item.get("summary") or ""
        optional = {
            "summary": item.get("summary"),
            "image": item.get("image"),
            "date_published": _rfc3339(item["pubdate"]),
            "date_modified": _rfc3339(item["updateddate"]),
            "authors": item.get("authors"),
            "tags": item["categories"],
            "language": item.get("language"),
        }
        document.update((key, value) for key, value in optional.items() if value)
        return document


def feed_title(scope: str, outlet_name: str) -> str:
    """A feed's title: what it is about, then whose it is ("World – The Gazette")."""
    if not scope or not outlet_name:
        return feed_text(scope or outlet_name)
    return _("%(scope)s – %(outlet)s") % {
        "scope": feed_text(scope),
        "outlet": feed_text(outlet_name),
    }


def _rfc3339(value):
    return feedgenerator.rfc3339_date(value) if value else None


class ArticleFeed(Feed):
    """The latest released articles of the whole site.

    Subclasses choose the articles (``articles``) and name the feed (``title``,
    ``link``, ``description``); ``find`` turns the slug in the URL into the object
    the feed is about. ``feed_type`` is RSS 2.0 unless given ``AtomFeed`` or
    ``JSONFeed``.
    """

    feed_type = RssFeed
    lead_image_spec = "fill-1200x675"
    item_guid_is_permalink = False

    def __init__(self, feed_type=None):
        if feed_type is not None:
            self.feed_type = feed_type

    def get_object(self, request, slug=None):
        self.request = request
        self.outlet = OutletSettings.for_request(request)
        obj = self.find(slug) if slug is not None else None
        add_tags(*self.cache_tags(obj))
        return obj

    def find(self, slug):
        raise ObjectDoesNotExist

    def cache_tags(self, obj):
        """What the feed lists, as cache tags (dateline.caching.tags)."""
        return ["front"]

    def articles(self, obj):
        return newsroom_queries.published_articles()

    def items(self, obj):
        return for_feed(self.articles(obj))[: conf.feed_items()]

    def scope(self, obj) -> str:
        """What the feed is about, before the outlet's name in its title."""
        return ""

    def title(self, obj):
        return feed_title(self.scope(obj), self.outlet.name)

    def link(self, obj):
        return root_url(self.request) + "/"

    def feed_url(self, obj):
        # Django's default is the request's host; every address here is the site's.
        return absolute(self.request, self.request.path)

    def description(self, obj):
        return feed_text(self.outlet.tagline) or _(
            "The latest stories from %(outlet)s"
        ) % {"outlet": feed_text(self.outlet.name)}

    def subtitle(self, obj):
        # Atom's counterpart of the description; Django's Atom writer reads only this.
        return self.description(obj)

    def item_title(self, article):
        return feed_text(article.title)

    def item_description(self, article):
        # HTML in every format: the body as rendered, or the standfirst's plain
        # text escaped once.
        if conf.feed_full_text():
            return feed_html(self.item_body_html(article))
        return feed_html(article.standfirst)

    def item_body_html(self, article):
        """The story as on its page: every block, the dateline opening it."""
        return render_to_string(
            "dateline_syndication/feed_item_body.html",
            {"article": article, "dateline": article.dateline(self.outlet.name)},
        )

    def item_link(self, article):
        return article.get_full_url(self.request)

    def item_guid(self, article):
        # A story imported from another system keeps the identifier its feeds gave
        # it there, so feed readers do not show it as new.
        if article.original_guid:
            return article.original_guid
        # A tag URI (RFC 4151) stays the same when an editor changes the slug, so
        # readers do not see a renamed story as a new one.
        host = urlsplit(root_url(self.request)).hostname
        day = article.first_published_at.date().isoformat()
        return f"tag:{host},{day}:article-{article.pk}"

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.last_published_at or article.first_published_at

    def item_authors(self, article):
        return [
            {
                "name": feed_text(byline.author.name),
                "url": absolute(self.request, byline.author.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ]

    def item_author_name(self, article):
        names = [author["name"] for author in self.item_authors(article)]
        return get_text_list(names, _("and")) if names else None

    def item_categories(self, article):
        names = [article.section.title] if article.section else []
        names += [name for name in tag_names(article.tags.all()) if name not in names]
        return [feed_text(name) for name in names]

    def item_lead_rendition(self, article):
        if article.lead_image is None:
            return None
        return article.lead_image.get_rendition(self.lead_image_spec)

    def item_enclosures(self, article):
        rendition = self.item_lead_rendition(article)
        if rendition is None:
            return []
        try:
            length = rendition.file.size
        except OSError:
            length = 0  # what the RSS profile asks for when the size is unknown
        mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
        url = absolute(self.request, rendition.url)
        return [feedgenerator.Enclosure(url, str(length), mime_type)]

    def item_extra_kwargs(self, article):
        rendition = self.item_lead_rendition(article)
        return {
            "authors": self.item_authors(article),
            "summary": feed_text(article.standfirst),
            "image": absolute(self.request, rendition.url) if rendition else None,
            "language": article.language,
            "full_text": conf.feed_full_text(),
        }


class SectionFeed(ArticleFeed):
    """The latest stories in a section and its subsections."""

    def cache_tags(self, section):
        return [f"section:{section.pk}"]

    def find(self, slug):
        # Section slugs are unique among siblings only; the shallowest section wins.
        sections = SectionPage.objects.live().public().filter(slug=slug)
        section = sections.order_by("depth", "path").first()
        if section is None:
            raise SectionPage.DoesNotExist
        return section

    def articles(self, section):
        return newsroom_queries.articles_in_section(section)

    def scope(self, section):
        return section.title

    def link(self, section):
        return section.get_full_url(self.request)

    def description(self, section):
        return feed_text(section.intro) or _(
            "The latest stories in %(section)s from %(outlet)s"
        ) % {"section": feed_text(section.title), "outlet": feed_text(self.outlet.name)}


class TagFeed(ArticleFeed):
    """The latest stories with a tag."""

    def find(self, slug):
        tag = newsroom_queries.released_tag(slug)
        if tag is None:
            raise ObjectDoesNotExist
        return tag

    def cache_tags(self, tag):
        return [f"tag:{tag.slug}"]

    def articles(self, tag):
        return newsroom_queries.articles_tagged(tag)

    def scope(self, tag):
        return tag.name

    def link(self, tag):
        return absolute(self.request, reverse("newsroom:tag", args=[tag.slug]))

    def description(self, tag):
        return _("The latest stories tagged %(tag)s from %(outlet)s") % {
            "tag": feed_text(tag.name),
            "outlet": feed_text(self.outlet.name),
        }


class AuthorFeed(ArticleFeed):
    """The latest stories with an author in the byline."""

    def find(self, slug):
        return Author.objects.get(slug=slug)

    def cache_tags(self, author):
        return [f"author:{author.pk}"]

    def articles(self, author):
        return newsroom_queries.articles_by_author(author)

    def scope(self, author):
        return author.name

    def link(self, author):
        return absolute(self.request, author.get_absolute_url())

    def description(self, author):
        return _("The latest stories by %(author)s from %(outlet)s") % {
            "author": feed_text(author.name),
            "outlet": feed_text(self.outlet.name),
        }
