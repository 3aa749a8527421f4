"""Several real Varnish proxies in front of one site: a change reaches every one, and
one that could not be told when it happened is told by the worker later."""

import os
import urllib.request
from urllib.parse import urlsplit

import pytest
from django_tasks_db.models import DBTaskResult

from dateline.newsroom.actions import do_publish_article
from dateline.testing.factories import make_article
from dateline.testing.proxy import Varnish, free_port, varnishd
from dateline.testing.tasks import run_tasks

XKEY = "dateline.caching.proxy.XkeyBackend"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fetch(url):
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read().decode(), response.headers["X-Cache"]


@pytest.fixture
def app_port(live_server, settings):
    if not varnishd():
        if os.environ.get("DATELINE_REQUIRE_PROXY"):
            pytest.fail("varnishd is required but not installed")
        pytest.skip("varnishd is not installed")
    settings.DATELINE_PAGE_CACHE = True
    settings.DATELINE_TASKS_RETRY_SECONDS = 0  # a retry is due at once
    return urlsplit(live_server.url).port


def proxies(settings, *urls):
    settings.WAGTAILFRONTENDCACHE = {
        f"proxy-{number}": {"BACKEND": XKEY, "LOCATION": url}
        for number, url in enumerate(urls, start=1)
    }


def cached_in(proxy, path):
    fetch(proxy.url + path)
    body, state = fetch(proxy.url + path)
    assert state == "HIT"
    return body


def test_a_publish_reaches_every_proxy(app_port, settings):
    with Varnish(app_port) as first, Varnish(app_port) as second:
        proxies(settings, first.url, second.url)
        article = make_article(title="Told to both")
        path = urlsplit(article.full_url).path
        for proxy in (first, second):
            assert "Told to both" in cached_in(proxy, path)
        article.title = "Told to both, again"
        do_publish_article(article)
        for proxy in (first, second):
            body, state = fetch(proxy.url + path)
            assert (state, "Told to both, again" in body) == ("MISS", True)


def test_a_proxy_away_at_purge_time_is_told_by_the_worker(app_port, settings):
    away_port = free_port()
    with Varnish(app_port) as up:
        proxies(settings, up.url, f"http://127.0.0.1:{away_port}")
        article = make_article(title="Told later")
        path = urlsplit(article.full_url).path
        cached_in(up, path)
        queued = DBTaskResult.objects.filter(task_path__endswith="purge_proxy_tags")
        queued.delete()  # those of making the story: only the publish counts here
        article.title = "Told later, changed"
        do_publish_article(article)
        assert "Told later, changed" in fetch(up.url + path)[0]
        kwargs = [row.args_kwargs["kwargs"] for row in queued]
        assert {each["backend_name"] for each in kwargs} == {"proxy-2"}
        assert any(f"article:{article.pk}" in each["tags"] for each in kwargs)

        # The second proxy is back, holding the page; the worker tells it now.
        with Varnish(app_port, port=away_port) as back:
            cached_in(back, path)
            run_tasks()
            assert fetch(back.url + path)[1] == "MISS"
        assert {row.status for row in queued.all()} == {"SUCCESSFUL"}
