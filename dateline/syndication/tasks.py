"""Webhook deliveries, sent by the worker (see ``webhooks.py``)."""

from django_tasks import task

from . import webhooks


@task()
def deliver_due_webhooks() -> str:
    """Send every delivery that is due; queued when a story is published and every
    minute for retries. Two runs at once never send one delivery twice."""
    return str(webhooks.deliver_due_webhooks())
