"""Helpers shared by the syndication tests."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.newsroom.models import ArticlePage

# Markup, an ampersand, a CDATA end, a control character XML cannot carry, RTL marks
# around Arabic script, and an emoji with a variation selector.
HOSTILE = "<script>alert(1)</script> & ]]> \x0b \u200fمرحبا\u200f 🗞️ done"
HOSTILE_CLEAN = HOSTILE.replace("\x0b", "")


def age(article, hours=0, **fields):
    """Move an article's first publication ``hours`` into the past."""
    when = timezone.now() - timedelta(hours=hours)
    fields.setdefault("last_published_at", when)
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=when, **fields)
    recount_months()


def recount_months():
    """After a date written around Wagtail's publish, as an import writes them: the
    import recounts the sitemap index's months, and so does this."""
    from dateline.syndication.actions import do_rebuild_archive_months

    do_rebuild_archive_months()


def queries_for(client, url):
    """How many queries a warm request for ``url`` makes."""
    client.get(url)  # renditions, site and settings caches
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)
