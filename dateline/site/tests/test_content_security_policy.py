"""Every public page type carries the site's Content-Security-Policy, and no page may
set a ``<base>`` element: injected markup cannot point the page's links elsewhere."""

import pytest

from dateline.testing.factories import make_article
from dateline.testing.pages import build_outlet, fetch, public_pages

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (p.split() for p in header.split(";"))}


def test_every_public_page_forbids_a_base_element(client):
    for page in public_pages(build_outlet()):
        response = fetch(client, page)
        assert response.status_code == page.status, page
        csp = directives(response)
        assert csp["base-uri"] == ["'none'"], page.name
        assert csp["frame-ancestors"] == ["'none'"], page.name
        assert b"<base" not in response.content, page.name


def test_policy_widened_for_an_ad_network_still_forbids_a_base_element(
    client, settings
):
    settings.DATELINE_AD_PROVIDER = "dateline.ads.backends.gam.GoogleAdManagerProvider"
    settings.DATELINE_GAM_NETWORK_CODE = "1234"
    settings.DATELINE_GAM_AD_UNITS = {"article-inline-3": "news/inline"}
    csp = directives(client.get(make_article().url))
    assert any("google" in source for source in csp["script-src"])
    assert csp["base-uri"] == ["'none'"]
