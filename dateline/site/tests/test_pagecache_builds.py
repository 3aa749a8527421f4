"""Readers who miss the same page at once (each proxy's first reader after a change)
get it from one build: the others wait for it rather than build it again."""

import time

import pytest
from wagtail import hooks

from dateline.testing.builds import HeldBuild, fetch, in_thread
from dateline.testing.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_page_being_built_is_waited_for_not_built_twice(live_server, settings):
    settings.DATELINE_PAGE_CACHE = True
    settings.DATELINE_FRAGMENT_CACHE = True
    article = make_article(title="Built once")
    url = live_server.url + article.url
    held = HeldBuild()
    with hooks.register_temporarily("before_serve_page", held):
        first, first_page = in_thread(fetch, url, "X-Page-Cache")
        assert held.reached.wait(timeout=30)
        second, second_page = in_thread(fetch, url, "X-Page-Cache")
        time.sleep(0.5)  # the second request is in, and finds the page being built
        held.release()
        first.join(timeout=30)
        second.join(timeout=30)
    body, state = first_page["result"]
    assert ("Built once" in body, state) == (True, "miss")
    assert second_page["result"] == (body, "hit")
