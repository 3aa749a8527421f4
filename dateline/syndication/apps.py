from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    """Feeds, sitemaps, robots.txt, the content API, webhooks and the metadata pages
    give search and social."""

    name = "dateline.syndication"
    label = "dateline_syndication"
    verbose_name = _("Syndication")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from dateline.newsroom.models import ArticlePage

        from . import webhooks

        page_published.connect(
            webhooks.article_published, sender=ArticlePage, dispatch_uid="webhooks"
        )
        page_unpublished.connect(
            webhooks.article_unpublished, sender=ArticlePage, dispatch_uid="webhooks"
        )
