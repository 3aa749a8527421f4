"""The site's own absolute address: where every absolute URL the site writes starts.

Canonical links, OpenGraph and JSON-LD, feed links and ids, sitemaps, robots.txt and
the links in e-mails must all name the same origin, whichever host a request came in
on (a proxy's internal name, 127.0.0.1, a bare IP). The origin is the Wagtail
``Site``'s hostname and port (Settings › Sites), which Wagtail's own
``Page.get_full_url`` already uses; ``dateline site_address`` and ``dateline demo
--host/--port`` set it, and a system check (``dateline.W001``) warns while a
production site is still at ``localhost``.
"""

from urllib.parse import urljoin

from wagtail.models import Site


def site_for(request=None):
    """The Wagtail site answering ``request``; the default site without one."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site


def root_url(request=None) -> str:
    """``https://example.com``: the site's scheme, host and port, no trailing slash."""
    site = site_for(request)
    if site is not None:
        return site.root_url
    # No site at all (an empty database): the address the request came to.
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def absolute_url(url: str, request=None) -> str:
    """``url`` made absolute on the site's origin; absolute URLs pass unchanged."""
    return urljoin(root_url(request) + "/", url)


# What a server listens on is not an address readers can use.
_LISTEN_ALL = {"0.0.0.0": "127.0.0.1", "::": "127.0.0.1", "": "127.0.0.1"}  # noqa: S104


def set_default_site_address(host: str, port: int) -> Site:
    """Point the default site at ``host:port``, as readers will reach it."""
    site = Site.objects.get(is_default_site=True)
    site.hostname = _LISTEN_ALL.get(host, host)
    site.port = port
    site.save()
    return site
