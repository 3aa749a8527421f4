"""End to end through the production recipe's Varnish: a change is visible on the very
next request through the proxy."""

import os
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from dateline.newsroom.actions import do_publish_article
from dateline.testing.factories import make_article
from dateline.testing.proxy import Varnish, varnishd


def fetch(url, host="localhost", headers=None):
    request = urllib.request.Request(url, headers={"Host": host, **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read().decode(), dict(response.headers)


@pytest.fixture
def proxy(live_server, settings):
    if not varnishd():
        if os.environ.get("DATELINE_REQUIRE_PROXY"):
            pytest.fail("varnishd is required but not installed")
        pytest.skip("varnishd is not installed")
    port = urlsplit(live_server.url).port
    with Varnish(port) as varnish:
        settings.DATELINE_PAGE_CACHE = True
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": varnish.url,
            }
        }
        yield varnish


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publish_is_live_through_the_proxy_on_the_next_request(proxy):
    article = make_article(title="Proxy first version")
    path = urlsplit(article.full_url).path
    body, headers = fetch(proxy.url + path)
    assert "Proxy first version" in body and headers["X-Cache"] == "MISS"
    body, headers = fetch(proxy.url + path)
    assert headers["X-Cache"] == "HIT"
    assert "s-maxage" in headers["Cache-Control"]
    home, _ = fetch(proxy.url + "/")
    assert "Proxy first version" in home

    article.title = "Proxy second version"
    started = time.monotonic()
    do_publish_article(article)
    body, headers = fetch(proxy.url + path)
    elapsed = time.monotonic() - started
    assert "Proxy second version" in body
    assert "Proxy second version" in fetch(proxy.url + "/")[0]
    assert elapsed < 1.0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_and_posts_pass_straight_through(proxy):
    article = make_article(title="Pass through")
    path = urlsplit(article.full_url).path
    fetch(proxy.url + path)
    _, headers = fetch(proxy.url + path, headers={"Cookie": "sessionid=abc"})
    assert headers["X-Cache"] == "MISS"
    _, headers = fetch(proxy.url + path, headers={"Cookie": "_ga=reader-tracking"})
    assert headers["X-Cache"] == "HIT"  # other cookies never split the cache
