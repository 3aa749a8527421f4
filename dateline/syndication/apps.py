from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    """Feeds, sitemaps, robots.txt and the metadata pages give search and social."""

    name = "dateline.syndication"
    label = "dateline_syndication"
    verbose_name = _("Syndication")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
