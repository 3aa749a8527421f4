"""Telling the caching proxy what changed.

With the ``xkey`` vmod (Debian's ``varnish-modules``; deploy/varnish/default.vcl) one
PURGE request names the tags and Varnish drops every stored page that carries any of
them, whatever its address or query string: ``XkeyBackend``. A proxy without it
(nginx, a Varnish without the vmod) gets Wagtail's URL purges of the addresses the
apps register for the tags (the ``dateline_urls_for_cache_tags`` Wagtail hook).

Our own backend because Wagtail's frontend cache backends purge URLs only; it is
Wagtail's ``HTTPBackend`` with one method more, and Wagtail's ``PurgeBatch`` still
does every URL purge.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.error import URLError
from urllib.request import urlopen

from django.conf import settings
from wagtail import hooks
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

logger = logging.getLogger(__name__)

URLS_HOOK = "dateline_urls_for_cache_tags"


class XkeyBackend(HTTPBackend):
    """Wagtail's HTTP purge backend that can also purge by cache tag (xkey)."""

    def __init__(self, params):
        self.location = params["LOCATION"]
        super().__init__(params)

    def purge_tags(self, tags, soft=False) -> bool:
        """One PURGE naming ``tags``; False when the proxy could not be told.
        ``soft``: what carries them goes stale (served while refetched) instead."""
        header = "xkey-softpurge" if soft else "xkey-purge"
        request = PurgeRequest(self.location + "/", headers={header: " ".join(tags)})
        try:
            with urlopen(request, timeout=5):  # noqa: S310 - the operator's proxy
                return True
        except (URLError, OSError) as exc:
            logger.warning(
                "could not purge tags %s from %s: %s", tags, self.location, exc
            )
            return False


def purge_tags(tags, soft=False) -> None:
    """Drop from every proxy whatever carries one of ``tags``; never raises.

    A proxy that cannot be told now is told again by the worker
    (``caching/tasks.py``), so it cannot keep serving the old page once it is
    reachable again. ``soft``: proxies that purge by tag keep serving what they
    drop while they fetch it again (the second purge after a change)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

    try:
        backends = get_backends()
        by_url = {n: b for n, b in backends.items() if not hasattr(b, "purge_tags")}
        by_tag = {n: b for n, b in backends.items() if n not in by_url}
        from .tasks import purge_proxy_later

        for name in missed(by_tag, tags, soft):
            purge_proxy_later(name, tags)
        if by_url:
            batch = PurgeBatch()
            batch.add_urls(sorted(urls_for_tags(tags)))
            config = settings.WAGTAILFRONTENDCACHE
            batch.purge(backend_settings={name: config[name] for name in by_url})
    except Exception:  # the proxy being away must not fail an editor's publish
        logger.exception("could not purge the caching proxy")


def missed(backends: dict, tags, soft=False) -> list[str]:
    """Tell every proxy at once; the names of those that could not be told.

    At once rather than in turn: each proxy's readers wait for their purge, and one
    proxy that does not answer (up to the 5 s timeout) must not hold back the others.
    """
    if len(backends) < 2:
        return [
            n for n, backend in backends.items() if not backend.purge_tags(tags, soft)
        ]
    with ThreadPoolExecutor(max_workers=len(backends)) as pool:
        told = dict(
            zip(
                backends,
                pool.map(lambda b: b.purge_tags(tags, soft), backends.values()),
                strict=True,
            )
        )
    return [name for name, ok in told.items() if not ok]


def urls_for_tags(tags) -> set[str]:
    """The addresses the apps say show ``tags`` (for proxies that purge by URL)."""
    urls = set()
    for fn in hooks.get_hooks(URLS_HOOK):
        urls.update(url for url in fn(set(tags)) if url)
    return urls
