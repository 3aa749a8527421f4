"""Absolute addresses on the outlet's own site, from ``newsroom.addresses``: images,
author pages, feeds, sitemaps and robots.txt use the origin the Wagtail ``Site``
names, as the pages' own addresses (``get_full_url``) do."""

from dateline.newsroom import addresses


def root_url(request) -> str:
    """``https://example.com``: the scheme, host and port, without a trailing slash."""
    return addresses.root_url(request)


def absolute(request, url: str) -> str:
    """``url`` made absolute against the site root; absolute URLs pass unchanged."""
    return addresses.absolute_url(url, request)
