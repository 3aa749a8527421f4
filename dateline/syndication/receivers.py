"""Keep the sitemap index's months (``ArchiveMonth``) as stories change.

A story counts in its month while readers may see it (live, public, past any
embargo) and search engines may index it (no ``NoIndexPage``). Each event that
changes one of those recounts the story's month: one query over that month, or
by the worker for a month too big to read within the change (``actions.py``). A
change that reaches many stories at once (a restricted section, a site's new
root, a section moved to another site) queues a rebuild for the worker.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from dateline.newsroom import signals as newsroom
from dateline.newsroom.models import ArticlePage
from dateline.worker.queue import enqueue_with_commit

from . import actions, tasks
from .models import NoIndexPage


def article_changed(sender, instance, **kwargs):
    actions.do_refresh_archive_months_of([instance])


def page_moved(sender, instance, **kwargs):
    # A story under another section may fall under a view restriction, or lose one.
    if issubclass(sender, ArticlePage):
        actions.do_refresh_archive_months_of([instance])
    elif site_slug(kwargs["url_path_before"]) != site_slug(kwargs["url_path_after"]):
        # Into another site's tree: every story under the page changes site.
        enqueue_with_commit(tasks.rebuild_archive_months)


def site_slug(url_path: str) -> str:
    """The first part of a Wagtail ``url_path`` ("/home/world/" is "home"): the
    tree of one site."""
    return url_path.strip("/").split("/")[0]


def hidden_page_changed(sender, instance, **kwargs):
    page = ArticlePage.objects.filter(pk=instance.page_id).first()
    if page is not None:
        actions.do_refresh_archive_months_of([page])


def restriction_changed(sender, instance, **kwargs):
    page = ArticlePage.objects.filter(pk=instance.page_id).first()
    if page is not None:
        actions.do_refresh_archive_months_of([page])
    else:
        enqueue_with_commit(tasks.rebuild_archive_months)


def site_changed(sender, instance, **kwargs):
    enqueue_with_commit(tasks.rebuild_archive_months)


def connect() -> None:
    uid = "archive-months"
    page_published.connect(article_changed, sender=ArticlePage, dispatch_uid=uid)
    page_unpublished.connect(article_changed, sender=ArticlePage, dispatch_uid=uid)
    post_delete.connect(article_changed, sender=ArticlePage, dispatch_uid=uid)
    post_page_move.connect(page_moved, dispatch_uid=uid)
    for signal in (post_save, post_delete):
        signal.connect(hidden_page_changed, sender=NoIndexPage, dispatch_uid=uid)
        signal.connect(
            restriction_changed, sender=PageViewRestriction, dispatch_uid=uid
        )
        signal.connect(site_changed, sender=Site, dispatch_uid=uid)
    newsroom.articles_written_in_bulk.connect(bulk_written, dispatch_uid=uid)
    newsroom.embargoes_lifted.connect(embargoes_lifted, dispatch_uid=uid)


def months_after_migrate(sender, using="default", **kwargs):
    # The table's first count, for an archive that had stories before it existed;
    # later an empty table means an empty archive, and counting that is cheap.
    from django.db import connections

    from .models import ArchiveMonth

    table = ArchiveMonth._meta.db_table
    if table not in connections[using].introspection.table_names():
        return  # migrated back to before the table
    if not ArchiveMonth.objects.using(using).exists():
        actions.do_rebuild_archive_months()


def bulk_written(sender, **kwargs):
    months = actions.do_rebuild_archive_months()
    return f"Recounted the sitemap index's months: {months:,}."


def embargoes_lifted(sender, articles, **kwargs):
    actions.do_refresh_archive_months_of(articles)
