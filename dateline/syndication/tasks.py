"""Webhook deliveries, sent by the worker (see ``webhooks.py``)."""

from django_tasks import task

from . import webhooks


@task()
def deliver_due_webhooks() -> str:
    """Send every delivery that is due; queued when a story is published and every
    minute for retries. Two runs at once never send one delivery twice."""
    return str(webhooks.deliver_due_webhooks())


@task()
def rebuild_archive_months() -> str:
    """Count every month of the sitemap index afresh: daily, and after a change
    that reaches many stories at once (``receivers.py``)."""
    from .actions import do_rebuild_archive_months

    return f"{do_rebuild_archive_months()} months"
