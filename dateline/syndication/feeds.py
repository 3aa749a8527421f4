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
from django.utils.html import escape
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from taggit.models import Tag

from dateline.newsroom import queries as newsroom_queries
from dateline.newsroom.models import Author, OutletSettings, SectionPage

from . import conf
from .links import absolute, root_url
from .queries import for_feed
from .text import tag_names, xml_safe


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom with one ``<author>`` per byline, as the format allows."""

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


def _rfc3339(value):
    return feedgenerator.rfc3339_date(value) if value else None


class ArticleFeed(Feed):
    """The latest released articles of the whole site.

    Subclasses choose the articles (``articles``) and name the feed (``title``,
    ``link``, ``description``); ``find`` turns the slug in the URL into the object
    the feed is about. ``feed_type`` is RSS 2.0 unless given ``AtomFeed`` or
    ``JSONFeed``.
    """

    feed_type = feedgenerator.Rss201rev2Feed
    lead_image_spec = "fill-1200x675"
    item_guid_is_permalink = False

    def __init__(self, feed_type=None):
        if feed_type is not None:
            self.feed_type = feed_type

    def get_object(self, request, slug=None):
        self.request = request
        self.outlet = OutletSettings.for_request(request)
        return self.find(slug) if slug is not None else None

    def find(self, slug):
        raise ObjectDoesNotExist

    def articles(self, obj):
        return newsroom_queries.published_articles()

    def items(self, obj):
        return for_feed(self.articles(obj))[: conf.feed_items()]

    def title(self, obj):
        return xml_safe(self.outlet.name)

    def link(self, obj):
        return root_url(self.request) + "/"

    def description(self, obj):
        return xml_safe(self.outlet.tagline) or _(
            "The latest stories from %(outlet)s"
        ) % {"outlet": self.title(obj)}

    def item_title(self, article):
        return xml_safe(article.title)

    def item_description(self, article):
        if conf.feed_full_text():
            return xml_safe(self.item_body_html(article))
        return escape(xml_safe(article.standfirst))

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
                "name": xml_safe(byline.author.name),
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
        return [xml_safe(name) for name in names]

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
            "summary": xml_safe(article.standfirst),
            "image": absolute(self.request, rendition.url) if rendition else None,
            "language": article.language,
            "full_text": conf.feed_full_text(),
        }


class SectionFeed(ArticleFeed):
    """The latest stories in a section and its subsections."""

    def find(self, slug):
        # Section slugs are unique among siblings only; the shallowest section wins.
        sections = SectionPage.objects.live().public().filter(slug=slug)
        section = sections.order_by("depth", "path").first()
        if section is None:
            raise SectionPage.DoesNotExist
        return section

    def articles(self, section):
        return newsroom_queries.articles_in_section(section)

    def title(self, section):
        return _("%(section)s – %(outlet)s") % {
            "section": xml_safe(section.title),
            "outlet": xml_safe(self.outlet.name),
        }

    def link(self, section):
        return section.get_full_url(self.request)

    def description(self, section):
        return xml_safe(section.intro) or _("The latest stories in %(section)s") % {
            "section": xml_safe(section.title)
        }


class TagFeed(ArticleFeed):
    """The latest stories with a tag."""

    def find(self, slug):
        return Tag.objects.get(slug=slug)

    def articles(self, tag):
        return newsroom_queries.articles_tagged(tag)

    def title(self, tag):
        return _("%(tag)s – %(outlet)s") % {
            "tag": xml_safe(tag.name),
            "outlet": xml_safe(self.outlet.name),
        }

    def link(self, tag):
        return absolute(self.request, reverse("newsroom:tag", args=[tag.slug]))

    def description(self, tag):
        return _("The latest stories tagged %(tag)s") % {"tag": xml_safe(tag.name)}


class AuthorFeed(ArticleFeed):
    """The latest stories with an author in the byline."""

    def find(self, slug):
        return Author.objects.get(slug=slug)

    def articles(self, author):
        return newsroom_queries.articles_by_author(author)

    def title(self, author):
        return _("%(author)s – %(outlet)s") % {
            "author": xml_safe(author.name),
            "outlet": xml_safe(self.outlet.name),
        }

    def link(self, author):
        return absolute(self.request, author.get_absolute_url())

    def description(self, author):
        return _("The latest stories by %(author)s") % {"author": xml_safe(author.name)}
