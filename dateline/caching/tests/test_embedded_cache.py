"""The embedded default's shared cache (``backends.EmbeddedCache``): every process on
the machine sees the same entries, and ``incr``/``add`` are atomic across them."""

import subprocess
import sys
import textwrap

from django.core.cache import caches

COUNT = 300

COUNTER = textwrap.dedent(
    """
    import sys, django
    from django.conf import settings
    settings.configure(CACHES={"default": {
        "BACKEND": "dateline.caching.backends.EmbeddedCache", "LOCATION": sys.argv[1]}})
    django.setup()
    from django.core.cache import cache
    won = 0
    for _ in range(int(sys.argv[2])):
        cache.incr("hits")
        won += cache.add("claim", sys.argv[3])
    print(won)
    """
)


def embedded(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "dateline.caching.backends.EmbeddedCache",
            "LOCATION": str(tmp_path / "shared-cache"),
        },
    }
    return caches["default"]


def test_two_processes_count_every_increment_and_only_one_claims(settings, tmp_path):
    cache = embedded(settings, tmp_path)
    cache.set("hits", 0, None)
    location = str(tmp_path / "shared-cache")
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, location, str(COUNT), name],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    claims = [int(run.communicate(timeout=120)[0]) for run in runs]

    assert cache.get("hits") == 2 * COUNT
    assert sorted(claims) == [0, 1]
    assert cache.get("claim") in ("first", "second")


def test_the_embedded_default_is_this_cache_without_redis():
    from dateline.site.settings import base

    if base.REDIS_URL:
        assert base.CACHES["default"]["BACKEND"].endswith("FailOpenRedisCache")
    else:
        assert base.CACHES["default"]["BACKEND"].endswith("EmbeddedCache")
        assert base.CACHES["default"]["LOCATION"].endswith("shared-cache")
