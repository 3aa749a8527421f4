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

    def purge_tags(self, tags) -> None:
        request = PurgeRequest(
            self.location + "/", headers={"xkey-purge": " ".join(tags)}
        )
        try:
            urlopen(request, timeout=5)  # noqa: S310 - the operator's configured proxy
        except (URLError, OSError) as exc:
            logger.error("could not purge tags %s from the proxy: %s", tags, exc)


def purge_tags(tags) -> None:
    """Drop from the proxy whatever carries one of ``tags``; never raises."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

    try:
        backends = get_backends()
        by_url = {n: b for n, b in backends.items() if not hasattr(b, "purge_tags")}
        for backend in backends.values():
            if hasattr(backend, "purge_tags"):
                backend.purge_tags(tags)
        if by_url:
            batch = PurgeBatch()
            batch.add_urls(sorted(urls_for_tags(tags)))
            config = settings.WAGTAILFRONTENDCACHE
            batch.purge(backend_settings={name: config[name] for name in by_url})
    except Exception:  # the proxy being away must not fail an editor's publish
        logger.exception("could not purge the caching proxy")


def urls_for_tags(tags) -> set[str]:
    """The addresses the apps say show ``tags`` (for proxies that purge by URL)."""
    urls = set()
    for fn in hooks.get_hooks(URLS_HOOK):
        urls.update(url for url in fn(set(tags)) if url)
    return urls
