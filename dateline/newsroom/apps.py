from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "dateline.newsroom"
    label = "dateline_newsroom"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dateline.caching.receivers import connect

        from . import checks, receivers  # noqa: F401 - checks; invalidation for Wagtail's models

        connect()  # models' cache_tags() become invalidations
