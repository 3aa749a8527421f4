from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "dateline.live"
    label = "dateline_live"
    verbose_name = _("Live coverage")
    default_auto_field = "django.db.models.BigAutoField"
