"""Caches never go back in time: on the embedded default's file cache, a page built
before a change is never served after it, however long the site runs and however
full the cache gets."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import filebased
from wagtail.models import Site

from dateline.caching.versions import PREFIX, bump_version, read_version
from dateline.newsroom.models import OutletSettings

pytestmark = pytest.mark.django_db

NAME = "The Dateline Gazette"


@pytest.fixture
def file_cache(settings, tmp_path):
    """The embedded default's cache, as ``settings/base.py`` configures it, small."""
    # The embedded default's backend, whatever this run's REDIS_URL says.
    config = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 30},
    }
    settings.CACHES = {"default": config}
    settings.DATELINE_PAGE_CACHE = True
    settings.DATELINE_FRAGMENT_CACHE = True
    return config


@pytest.fixture
def later(monkeypatch):
    """Moves the clock Django's cache backends read (outside our code) forward."""
    offset = [0.0]
    clock = SimpleNamespace(time=lambda: time.time() + offset[0])
    monkeypatch.setattr(filebased, "time", clock)
    monkeypatch.setattr(cache_base, "time", clock)

    def advance(seconds):
        offset[0] += seconds

    return advance


def rename_outlet(name, django_capture_on_commit_callbacks):
    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    outlet.name = name
    with django_capture_on_commit_callbacks(execute=True):
        outlet.save()


def test_a_version_outlives_the_cache_timeout(
    client, file_cache, later, django_capture_on_commit_callbacks
):
    assert b"<title>Dateline" in client.get("/").content  # stored under the first
    rename_outlet(NAME, django_capture_on_commit_callbacks)
    assert NAME.encode() in client.get("/").content
    later(301)  # past the file cache's default timeout, within the page's own
    page = client.get("/").content.decode()
    assert NAME in page
    assert "<title>Dateline" not in page


def test_a_full_cache_never_brings_back_an_older_page(
    client, file_cache, django_capture_on_commit_callbacks
):
    for attempt in range(5):
        client.get("/")  # stored under the version of the moment
        rename_outlet(f"Gazette {attempt}", django_capture_on_commit_callbacks)
        filled = 0
        while cache.has_key(PREFIX + "site-settings"):  # until a cull takes it
            cache.set(f"filler:{attempt}:{filled}", "x" * 10)
            filled += 1
            assert filled < 1000, "the cache never culled the version"
        page = client.get("/").content.decode()
        assert f"<title>Gazette {attempt}" in page, "an older page came back"


def test_a_lost_version_comes_back_greater(file_cache):
    first = read_version("content", now_ns=1_000)
    bumped = bump_version("content", now_ns=1_000)
    assert bumped > first
    cache.delete(PREFIX + "content")  # expired or culled
    reseeded = read_version("content")  # seeded from the clock
    assert reseeded > bumped
    assert bump_version("content", now_ns=5) > reseeded  # a lagging clock too


def test_a_bump_never_reuses_a_value_even_when_the_clock_lags():
    now = time.time_ns()
    values = [bump_version("ads-inventory", now_ns=now) for _ in range(3)]
    assert values == sorted(set(values))
