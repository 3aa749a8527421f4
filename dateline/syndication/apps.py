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
        from django.db.models.signals import post_migrate
        from wagtail.signals import page_published, page_unpublished

        from dateline.newsroom.models import ArticlePage

        from . import receivers, webhooks

        page_published.connect(
            webhooks.article_published, sender=ArticlePage, dispatch_uid="webhooks"
        )
        page_unpublished.connect(
            webhooks.article_unpublished, sender=ArticlePage, dispatch_uid="webhooks"
        )
        receivers.connect()
        post_migrate.connect(receivers.months_after_migrate, sender=self)
