from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "dateline.syndication"
    label = "dateline_syndication"
    verbose_name = _("Syndication")
    default_auto_field = "django.db.models.BigAutoField"
