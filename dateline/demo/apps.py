from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """No models: installed so that ``load_demo_content`` is a management command."""

    name = "dateline.demo"
    label = "dateline_demo"
    verbose_name = _("Demo content")
