from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "dateline.ads"
    label = "dateline_ads"
    verbose_name = _("Advertising")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dateline.newsroom import scheduler

        from . import counting

        # Counts kept in the cache reach the database every scheduler tick (dateline
        # serve, demo or worker); reports and flush_ad_counts flush too (docs/ads.md).
        if counting.flush not in scheduler.tick_hooks:
            scheduler.tick_hooks.append(counting.flush)
