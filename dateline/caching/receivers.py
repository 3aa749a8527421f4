"""The one place model changes become invalidations.

A model says which cache tags its changes affect with a ``cache_tags()`` method; the
apps do not list each other's models. Rows are invalidated when saved or deleted (and
when a many-to-many of theirs changes); pages when published or unpublished, not when
a draft is saved. ``connect()`` runs once, from the newsroom app's ``ready()``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .tags import invalidate


def row_changed(sender, instance, **kwargs):
    if isinstance(instance, Page) or not hasattr(instance, "cache_tags"):
        return
    if kwargs.get("raw"):  # loading fixtures
        return
    if kwargs.get("created") and isinstance(instance, BaseSiteSetting):
        # Wagtail creates a site's settings row, holding the defaults every page
        # already shows, the first time anything reads it: nothing changed.
        return
    invalidate(instance.cache_tags())


def relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and hasattr(instance, "cache_tags"):
        invalidate(instance.cache_tags())


def page_changed(sender, instance, **kwargs):
    page = instance.specific
    tags = getattr(page, "cache_tags", None)
    invalidate(tags() if tags else [f"page:{page.pk}", "front", "menu"])


def connect() -> None:
    post_save.connect(row_changed, dispatch_uid="dateline-caching-save")
    post_delete.connect(row_changed, dispatch_uid="dateline-caching-delete")
    m2m_changed.connect(relation_changed, dispatch_uid="dateline-caching-m2m")
    page_published.connect(page_changed, dispatch_uid="dateline-caching-publish")
    page_unpublished.connect(page_changed, dispatch_uid="dateline-caching-unpublish")
