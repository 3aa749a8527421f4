from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "dateline.ads"
    label = "dateline_ads"
    verbose_name = _("Advertising")
    default_auto_field = "django.db.models.BigAutoField"
