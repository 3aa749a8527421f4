"""The in-app full-page cache: anonymous readers get stored HTML without a database
query.

A page is stored with the cache tags it depends on and their versions
(``dateline.caching.tags``); it is served while none of those tags has been
invalidated since. The tags also go out in the ``xkey`` header, for the caching
proxy to purge by (deploy/varnish/default.vcl).

Query strings: only parameters that select a different page of the same thing are
stored: those the apps register with the ``dateline_cacheable_query_params`` Wagtail
hook (the newsroom's ``page``, the comments' ``cpage``...); any
other query string is served fresh and not stored, so junk cannot fill the cache.

Where it sits (``MIDDLEWARE``): outside the session, CSRF, authentication, messages,
clickjacking and CSP middleware, which a stored page needs none of, so a hit passes
through only what every response needs. Their headers are stored with the page and
answered as the page was first answered. A response that set a cookie or carries a
CSP nonce is never stored.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)

from dateline.ads.csp import nonce_used
from dateline.caching.shells import cacheable_params
from dateline.caching.tags import DEFAULT_TAGS, Recording, still_fresh

from .unstorable import holds_nul

SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/comments/", "/static/", "/media/")
# A request that finds its page being built by another waits this long at most for
# it (a build on a busy node takes about a second), looking every 20 ms.
BUILD_WAIT_SECONDS = 3
BUILD_POLL_SECONDS = 0.02
# A stored page keeps every header its response had (the CSP, X-Frame-Options, Vary,
# xkey, a live page's short Cache-Control...) but these, which belong to one response.
UNSTORED_HEADERS = frozenset(("content-length", "date", "set-cookie", "x-page-cache"))


def public_cache_control(response):
    patch_cache_control(
        response,
        public=True,
        max_age=getattr(settings, "DATELINE_BROWSER_MAX_AGE", 60),
        s_maxage=getattr(settings, "DATELINE_PROXY_MAX_AGE", 300),
        stale_while_revalidate=60,
        stale_if_error=86400,
    )


def building_key(key: str) -> str:
    return f"{key}:building"


def built_elsewhere(key: str):
    """The page under ``key`` once the request building it has stored it; None when
    that build ended without storing it or took longer than ``BUILD_WAIT_SECONDS``
    (this request then builds it too).

    After a change, every proxy misses the same page at once (each Varnish sends its
    first reader to a node): one build serves them all, rather than one each
    competing for the same cores. With the shared cache away nothing is marked as
    being built, and every request builds its own page at once."""
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while time.monotonic() < deadline:
        found = cache.get_many([key, building_key(key)])
        stored = found.get(key)
        if stored is not None and still_fresh(stored[2]):
            return stored
        if building_key(key) not in found:
            return None
        time.sleep(BUILD_POLL_SECONDS)
    return None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True)
            return response
        key = self.key(request)
        stored = cache.get(key)
        if stored is not None and still_fresh(stored[2]):
            return self.answer(request, self.rebuild(stored))
        claimed = cache.add(building_key(key), 1, BUILD_WAIT_SECONDS)
        if not claimed:
            stored = built_elsewhere(key)
            if stored is not None:
                return self.answer(request, self.rebuild(stored))
        try:
            return self.build(request, key)
        finally:
            if claimed:
                cache.delete(building_key(key))

    def build(self, request, key):
        with Recording() as built:
            response = self.get_response(request)
            if self.cacheable_response(request, response):
                if not built.tags:
                    built.add(DEFAULT_TAGS)
                response["xkey"] = " ".join(built.tags)
                public_cache_control(response)
                set_response_etag(response)
                seconds = getattr(settings, "DATELINE_PAGE_CACHE_SECONDS", 600)
                cache.set(key, self.pack(response, built.versions), seconds)
                response["X-Page-Cache"] = "miss"
                return self.answer(request, response)
        return response

    @staticmethod
    def answer(request, response):
        """A revalidation (``If-None-Match``, as the proxy sends) answered here, with
        ``X-Page-Cache`` still saying whether the page was stored or built."""
        answer = get_conditional_response(
            request, etag=response.get("ETag"), response=response
        )
        if answer is not response:
            answer["X-Page-Cache"] = response["X-Page-Cache"]
        return answer

    @staticmethod
    def cacheable_request(request):
        if not getattr(settings, "DATELINE_PAGE_CACHE", True):
            return False
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(SKIPPED_PREFIXES):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False  # editors and previews bypass every cache
        if holds_nul(request):
            return False  # turned away further in (site/unstorable.py)
        return set(request.GET) <= cacheable_params()

    @staticmethod
    def cacheable_response(request, response):
        if response.status_code != 200 or response.streaming:
            return False
        if response.cookies or response.has_header("Set-Cookie"):
            return False
        if nonce_used(request):
            return False  # a nonce is good for one response, never for every reader
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-store", "no-cache"))

    @staticmethod
    def key(request):
        query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
        return f"dateline:page:{request.get_host()}:{request.path}?{query}"

    @staticmethod
    def pack(response, versions):
        headers = {
            name: value
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        }
        return (response.content, headers, versions)

    @staticmethod
    def rebuild(stored):
        content, headers, _ = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        public_cache_control(response)
        response["X-Page-Cache"] = "hit"
        return response
