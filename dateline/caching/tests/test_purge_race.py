"""A page whose build read the old rows before a publish committed, and reached the
proxy after its purge, is not served for the rest of its time in the proxy: the
worker retires the tags once more a moment later (``retire_tags_again``), and the
proxy fetches the page again."""

import time
from urllib.parse import urlsplit

import pytest
from wagtail import hooks

from dateline.newsroom.actions import do_publish_article
from dateline.testing.builds import HeldBuild, fetch, in_thread
from dateline.testing.factories import make_article
from dateline.testing.proxy import Varnish, varnishd
from dateline.testing.stack import require, wait_for
from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPURGE_SECONDS = 1


def test_a_build_under_way_at_publish_time_is_purged_a_moment_later(
    live_server, settings
):
    require(varnishd(), "varnishd")
    settings.DATELINE_PAGE_CACHE = True
    settings.DATELINE_FRAGMENT_CACHE = True
    settings.DATELINE_PROXY_REPURGE_SECONDS = REPURGE_SECONDS
    article = make_article(title="Before the publish")
    path = urlsplit(article.full_url).path
    with Varnish(urlsplit(live_server.url).port) as proxy:
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": "dateline.caching.proxy.XkeyBackend",
                "LOCATION": proxy.url,
            }
        }
        held = HeldBuild()
        with hooks.register_temporarily("before_serve_page", held):
            reader, first = in_thread(fetch, proxy.url + path)
            assert held.reached.wait(timeout=30)
            article.title = "After the publish"
            do_publish_article(article)
            published_at = time.monotonic()
            held.release()
            reader.join(timeout=30)
        # The build under way stored the old page after the publish's purge.
        assert "Before the publish" in first["result"][0]
        assert "Before the publish" in fetch(proxy.url + path)[0]

        time.sleep(max(0, published_at + REPURGE_SECONDS - time.monotonic()) + 0.2)
        run_tasks()
        # The old page went stale: the next reader may still get it while the proxy
        # fetches the new one; readers after that get the new one.
        fetch(proxy.url + path)
        wait_for(
            lambda: "After the publish" in fetch(proxy.url + path)[0],
            "the proxy serving the new page",
            seconds=10,
        )
