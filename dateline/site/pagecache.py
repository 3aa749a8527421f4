"""The in-app full-page cache: anonymous readers get stored HTML without a database
query. A key holds the content version (``newsroom.invalidation``), so any change that
readers could see retires every stored page at once.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control

from dateline.newsroom.invalidation import content_version

# Query parameters that select a different page of the same thing; any other query
# string is served fresh and not stored, so junk parameters cannot fill the cache.
CACHED_PARAMS = {"page", "cpage", "corder", "replytocom", "comment"}
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/comments/", "/static/", "/media/")
STORED_HEADERS = ("Content-Type", "Last-Modified", "Link")


def public_cache_control(response):
    patch_cache_control(
        response,
        public=True,
        max_age=getattr(settings, "DATELINE_BROWSER_MAX_AGE", 60),
        s_maxage=getattr(settings, "DATELINE_PROXY_MAX_AGE", 300),
        stale_while_revalidate=60,
        stale_if_error=86400,
    )


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
        if stored is not None:
            return self.rebuild(stored)
        response = self.get_response(request)
        if self.cacheable_response(request, response):
            public_cache_control(response)
            seconds = getattr(settings, "DATELINE_PAGE_CACHE_SECONDS", 600)
            cache.set(key, self.pack(response), seconds)
            response["X-Page-Cache"] = "miss"
        return response

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
        return set(request.GET) <= CACHED_PARAMS

    @staticmethod
    def cacheable_response(request, response):
        if response.status_code != 200 or response.streaming:
            return False
        if response.cookies or response.has_header("Set-Cookie"):
            return False
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-store", "no-cache"))

    @staticmethod
    def key(request):
        query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
        host, version = request.get_host(), content_version()
        return f"dateline:page:{version}:{host}:{request.path}?{query}"

    @staticmethod
    def pack(response):
        headers = {n: response[n] for n in STORED_HEADERS if response.has_header(n)}
        return (response.content, headers)

    @staticmethod
    def rebuild(stored):
        from django.http import HttpResponse

        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        public_cache_control(response)
        response["X-Page-Cache"] = "hit"
        return response
