"""A live page's head metadata: the article's, with ``LiveBlogPosting`` JSON-LD
(schema.org; Google reads it for a "Live" badge) in place of ``NewsArticle``."""

from django.utils.html import strip_tags

from dateline.syndication.metadata import ArticleMetadata, PageMetadata
from dateline.syndication.text import iso_datetime

from . import conf
from .queries import published_entries


class LiveMetadata(ArticleMetadata):
    def live_blog_posting(self):
        page = self.page
        data = {
            **self.news_article(),
            "@type": "LiveBlogPosting",
            "coverageStartTime": iso_datetime(
                page.coverage_start or page.first_published_at
            ),
            "liveBlogUpdate": self.updates(),
        }
        if page.coverage_end:
            data["coverageEndTime"] = iso_datetime(page.coverage_end)
        return data

    def updates(self):
        """The latest entries, each a ``BlogPosting`` at its anchor on the page."""
        latest = published_entries(self.page).select_related("author")
        latest = latest.order_by("-pk")[: conf.feed_entries()]
        url = self.canonical_url()
        return [
            {
                "@type": "BlogPosting",
                "headline": entry.title or self.page.title,
                "articleBody": " ".join(strip_tags(entry.body).split()),
                "datePublished": iso_datetime(entry.posted_at),
                "dateModified": iso_datetime(entry.edited_at or entry.posted_at),
                "url": f"{url}#{entry.anchor}",
                **(
                    {"author": {"@type": "Person", "name": entry.author.name}}
                    if entry.author
                    else {}
                ),
            }
            for entry in latest
        ]

    def json_ld(self):
        return [self.live_blog_posting(), *PageMetadata.json_ld(self)]
