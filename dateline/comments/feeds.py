"""A per-article RSS feed of published comments. Never the commenter's e-mail.

A comment is plain text. Titles and the author's name are text fields, written as
typed (the feed writer escapes them for XML). An item's ``<description>`` is HTML to
every feed reader, so it carries the comment as the article page shows it: escaped
once, with paragraphs and links made from the escaped text (``render_comment``).
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from dateline.caching.tags import add_tags
from dateline.newsroom.addresses import absolute_url
from dateline.newsroom.models import OutletSettings

from .queries import latest_for_feed
from .text import clean_text, render_comment


class ArticleCommentsFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, article):
        self.request = request
        add_tags(f"comments-of:{article.pk}")
        self.outlet_name = OutletSettings.for_request(request).name
        return article

    def title(self, article):
        return _("Comments on: %(title)s – %(outlet)s") % {
            "title": article.title,
            "outlet": self.outlet_name,
        }

    def link(self, article):
        return article.get_full_url(self.request) + "#comments"

    def feed_url(self, article):
        return absolute_url(self.request.path, self.request)

    def description(self, article):
        return _("Readers' comments on %(title)s at %(outlet)s") % {
            "title": article.title,
            "outlet": self.outlet_name,
        }

    def items(self, article):
        return latest_for_feed(article)

    def item_title(self, comment):
        return _("By: %(name)s") % {"name": clean_text(comment.name, keep_lines=False)}

    def item_description(self, comment):
        # Stored text is already free of control characters; cleaning again keeps the
        # XML well-formed for comments stored before that rule.
        return render_comment(clean_text(comment.body, keep_lines=True))

    def item_link(self, comment):
        return absolute_url(f"{comment.article.url}#comment-{comment.pk}", self.request)

    def item_guid(self, comment):
        return self.item_link(comment)

    item_guid_is_permalink = True

    def item_pubdate(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return clean_text(comment.name, keep_lines=False)
