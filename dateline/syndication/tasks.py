"""Work the worker does for syndication: webhook deliveries (``webhooks.py``) and
the sitemap index's months (``actions.py``)."""

from datetime import date

from django_tasks import task

from dateline.caching.tags import invalidate

from . import queries, webhooks


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

    months = do_rebuild_archive_months()
    invalidate([queries.ARCHIVE_MONTHS_TAG])
    return f"{months} months"


@task()
def refresh_archive_months(months: list[str]) -> str:
    """Recount the months (ISO dates of their first days) too big to recount
    within the publish that changed them (``actions.do_refresh_archive_months_of``)."""
    from .actions import do_refresh_archive_months

    do_refresh_archive_months(date.fromisoformat(month) for month in months)
    invalidate([queries.ARCHIVE_MONTHS_TAG])
    return f"{len(months)} months"
