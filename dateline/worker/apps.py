from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    """Background work: the queue's worker, periodic jobs and effects done once.

    Below the newsroom apps, like Django's own: it knows none of them. Each app
    declares its own ``@task`` functions in ``tasks.py`` and its periodic jobs through
    the ``register_periodic_tasks`` Wagtail hook (see ``periodic.py``)."""

    name = "dateline.worker"
    label = "dateline_worker"
    verbose_name = _("Background work")
    default_auto_field = "django.db.models.BigAutoField"
