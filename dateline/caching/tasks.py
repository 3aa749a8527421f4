"""Purges told again by the worker: to a proxy that missed one, until it hears it;
and to every cache a moment after a change, for what was built while it landed."""

from django.conf import settings
from django_tasks import task

from dateline.worker.queue import enqueue_later, retry_later


def purge_proxy_later(backend_name: str, tags) -> None:
    retry_later(purge_proxy_tags, 0, backend_name=backend_name, tags=sorted(tags))


@task()
def purge_proxy_tags(backend_name: str, tags: list, attempt: int = 1) -> bool:
    """Purge ``tags`` from one configured proxy; queued again while it is away."""
    from wagtail.contrib.frontend_cache.utils import get_backends

    backend = get_backends(backends=[backend_name]).get(backend_name)
    if backend is None:  # the proxy was taken out of the configuration meanwhile
        return False
    if backend.purge_tags(tags):
        return True
    retry_later(purge_proxy_tags, attempt, backend_name=backend_name, tags=tags)
    return False


def retire_again_later(tags) -> None:
    """Queue a second retirement of ``tags`` ``DATELINE_PROXY_REPURGE_SECONDS`` from
    now (none when 0, or when the task engine cannot wait)."""
    seconds = getattr(settings, "DATELINE_PROXY_REPURGE_SECONDS", 3)
    if seconds > 0:
        enqueue_later(retire_tags_again, seconds, tags=sorted(tags))


@task()
def retire_tags_again(tags: list) -> None:
    """Retire ``tags`` in the app's caches and in every proxy once more.

    A reader's page build that read the old rows before a change committed can
    finish after the change's own retirement: the proxy then stores it after its
    purge, and the app's page cache under the tag versions it read after the bump
    (an article's row is read while routing, before its page adds its tags). A
    build takes well under the wait, so this one finds that page and drops it.

    The proxies' purge is soft: the page goes stale rather than away, so their next
    reader gets it at once while they fetch the current one, instead of every
    page the change touched costing a reader a build a second time."""
    from .proxy import purge_tags
    from .tags import effective
    from .versions import bump_versions

    bump_versions(effective(tags))
    purge_tags(tags, soft=True)
