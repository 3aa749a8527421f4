"""Purges that a proxy missed, told again by the worker until it hears them."""

from django_tasks import task

from dateline.worker.queue import retry_later


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
