"""Absolute addresses on the outlet's own site, as its Wagtail ``Site`` names it.

Canonical URLs come from Wagtail's Site record (``fullpageurl``); images, author pages
and feeds use the same root so that every address a crawler sees agrees.
"""

from urllib.parse import urljoin

from wagtail.models import Site


def root_url(request) -> str:
    """``https://example.com``: the scheme, host and port, without a trailing slash."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return request.build_absolute_uri("/").rstrip("/") if request else ""
    return site.root_url


def absolute(request, url: str) -> str:
    """``url`` made absolute against the site root; absolute URLs pass unchanged."""
    return urljoin(root_url(request) + "/", url)
