"""End to end through the production recipe's Varnish: a change is visible on the very
next request through the proxy."""

import gzip
import os
import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from dateline.newsroom.actions import do_publish_article
from dateline.testing.factories import make_article, make_comment
from dateline.testing.proxy import Varnish, varnishd


def fetch(url, host="localhost", headers=None):
    request = urllib.request.Request(url, headers={"Host": host, **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read().decode(), dict(response.headers)


PURGE_BACKENDS = {
    # One PURGE naming the cache tags (the production VCL's xkey vmod).
    "xkey": "dateline.caching.proxy.XkeyBackend",
    # Wagtail's PURGE of each address, for proxies without xkey.
    "url": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
}


@pytest.fixture(params=sorted(PURGE_BACKENDS))
def proxy(live_server, settings, request):
    if not varnishd():
        if os.environ.get("DATELINE_REQUIRE_PROXY"):
            pytest.fail("varnishd is required but not installed")
        pytest.skip("varnishd is not installed")
    port = urlsplit(live_server.url).port
    with Varnish(port) as varnish:
        settings.DATELINE_PAGE_CACHE = True
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": PURGE_BACKENDS[request.param],
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
    do_publish_article(article)
    body, headers = fetch(proxy.url + path)
    assert "Proxy second version" in body
    assert "Proxy second version" in fetch(proxy.url + "/")[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_and_posts_pass_straight_through(proxy):
    article = make_article(title="Pass through")
    path = urlsplit(article.full_url).path
    fetch(proxy.url + path)
    _, headers = fetch(proxy.url + path, headers={"Cookie": "sessionid=abc"})
    assert headers["X-Cache"] == "MISS"
    _, headers = fetch(proxy.url + path, headers={"Cookie": "_ga=reader-tracking"})
    assert headers["X-Cache"] == "HIT"  # other cookies never split the cache


def fetch_compressed(url, host="localhost"):
    """The bytes as they cross the wire to a browser that accepts gzip."""
    request = urllib.request.Request(
        url, headers={"Host": host, "Accept-Encoding": "gzip, br"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read(), dict(response.headers)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_article_page_weight_through_the_proxy(proxy):
    """HTML, CSS and JavaScript of an article page, compressed as the proxy sends
    them: under 50 KB in at most 6 requests (images aside)."""
    paragraphs = [
        {"type": "paragraph", "value": f"<p>{'The council met again today. ' * 25}</p>"}
        for _ in range(12)
    ]
    article = make_article(title="Weighed story", body=paragraphs)
    for _ in range(30):
        make_comment(article)
    path = urlsplit(article.full_url).path
    fetch(proxy.url + path)  # stored by the proxy
    page, headers = fetch_compressed(proxy.url + path)
    assert headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(page).decode()
    assert "Weighed story" in html
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert all(asset.startswith("/") for asset in assets)  # nothing from elsewhere
    sizes = {path: len(page)}
    for asset in assets:
        body, asset_headers = fetch_compressed(proxy.url + asset)
        assert asset_headers.get("Content-Encoding") in {"gzip", "br"}, asset
        sizes[asset] = len(body)
    # The ad slots ask /ads/fill/ once a page; it answers a few hundred bytes of JSON.
    requests = len(sizes) + (1 if "data-ad-slot" in html else 0)
    assert requests <= 6, sizes
    assert sum(sizes.values()) < 50_000, sizes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_story_put_behind_a_password_leaves_the_proxy(proxy):
    from wagtail.models import PageViewRestriction

    article = make_article(title="Soon for members only")
    path = urlsplit(article.full_url).path
    fetch(proxy.url + path)
    body, headers = fetch(proxy.url + path)
    assert "Soon for members only" in body and headers["X-Cache"] == "HIT"

    PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type="password", password="s3cret"
    )
    body, _ = fetch(proxy.url + path)
    assert "Soon for members only" not in body
    assert 'name="password"' in body


@pytest.fixture
def xkey_proxy(live_server, settings):
    if not varnishd():
        if os.environ.get("DATELINE_REQUIRE_PROXY"):
            pytest.fail("varnishd is required but not installed")
        pytest.skip("varnishd is not installed")
    with Varnish(urlsplit(live_server.url).port) as varnish:
        settings.DATELINE_PAGE_CACHE = True
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {"BACKEND": PURGE_BACKENDS["xkey"], "LOCATION": varnish.url}
        }
        yield varnish


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approved_comment_purges_its_article_and_nothing_else(xkey_proxy):
    from dateline.comments.actions import do_moderate_comment

    article = make_article(title="Commented story")
    path = urlsplit(article.full_url).path
    for url in (path, path + "?cpage=1", "/"):
        fetch(xkey_proxy.url + url)
        assert fetch(xkey_proxy.url + url)[1]["X-Cache"] == "HIT"
    comment = make_comment(article, approved=False, body="Held, then approved")
    do_moderate_comment(comment, "approve")
    for url in (path, path + "?cpage=1"):  # every address of the page, query or not
        body, headers = fetch(xkey_proxy.url + url)
        assert "Held, then approved" in body
        assert headers["X-Cache"] == "MISS"
        assert "xkey" not in {name.lower() for name in headers}  # the proxy's own
    assert fetch(xkey_proxy.url + "/")[1]["X-Cache"] == "HIT"  # the home page stayed
