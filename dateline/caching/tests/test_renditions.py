"""Image renditions are read from the shared cache without being written back: once
an article's renditions are cached, a view of it leaves the cache as it was."""

import time

import pytest
from django.core.cache import caches
from wagtail.images import get_image_model

from dateline.testing.factories import make_article, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_cache(settings, tmp_path):
    """The embedded default's shared cache, with the renditions alias over it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "dateline.caching.backends.EmbeddedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
        "renditions": settings.RENDITIONS_CACHE,
    }
    return tmp_path / "cache"


def stored(folder):
    # Any write changes a database file or its write-ahead log.
    files = (path for path in folder.rglob("*") if path.is_file())
    return {path: (path.stat().st_mtime_ns, path.stat().st_size) for path in files}


def test_a_view_reads_renditions_from_the_cache_and_writes_nothing(client, file_cache):
    article = make_article(lead_image=make_image("Dam"))
    assert client.get(article.url).status_code == 200  # renditions made and cached
    before = stored(file_cache)
    rendition = get_image_model().objects.get().renditions.first()
    assert caches["renditions"].get(rendition.get_cache_key()) is not None

    response = client.get(article.url)

    assert response.status_code == 200
    assert rendition.url in response.content.decode()
    assert stored(file_cache) == before


def test_renditions_are_kept_for_a_week_not_the_default_five_minutes(file_cache):
    rendition = make_image("Dam").get_rendition("fill-480x270")
    key = caches["renditions"].make_key(rendition.get_cache_key())
    value, expires = caches["default"].get(key, expire_time=True)
    assert value is not None

    assert expires - time.time() > 6 * 24 * 3600
