"""Which Wagtail site answers a request, without a database query per request.

Wagtail looks the site up by host on every request, then loads its home page's
specific type before routing: two queries that answer the same way
until a site or the home page changes. The site, with its home page loaded, is kept
under the ``site`` cache tag, which both changes invalidate (``HomePage.cache_tags``).
"""

from django.conf import settings
from django.db import DatabaseError
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from dateline.caching.tags import cached


def site_with_home(hostname: str, port: str):
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    site.root_page.specific  # noqa: B018 - loaded now, kept with the site
    return site


class CachedSiteMiddleware:
    """Sets the request's Wagtail site from the cache, where Wagtail looks for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "DATELINE_FRAGMENT_CACHE", True):
            # get_host() has already been checked against ALLOWED_HOSTS: no stranger
            # can fill the cache with made-up hosts.
            hostname = split_domain_port(request.get_host())[0]
            port = request.get_port()
            try:
                request._wagtail_site = cached(
                    f"site:{hostname}:{port}",
                    lambda: site_with_home(hostname, port),
                    ["site"],
                )
            except DatabaseError:
                # The database is away: leave the lookup to Wagtail, inside the view,
                # which can answer for itself (a comment post keeps the reader's text).
                pass
        return self.get_response(request)
