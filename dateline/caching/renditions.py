"""Wagtail's rendition cache, kept in the shared cache and read without a write.

Wagtail reads an image's renditions from the ``renditions`` cache when they were not
prefetched, and then writes every rendition it read from there back again: only
renditions it found prefetched carry the mark that spares them. On an article page
that was a handful of cache writes per view (on the file cache each one also lists
the cache's directory to cull it), for values that had not changed. This alias
stores in another cache (``OPTIONS["CACHE"]``, the default one) and marks what it
reads as read from the cache, so Wagtail writes only what it found in the database.

Renditions do not change once made (a new focal point or file is a new rendition,
and Wagtail deletes a rendition's entry when it deletes the rendition), so they are
kept for ``TIMEOUT`` seconds, a week by default, instead of the default cache's
five minutes: the rewrites were all that kept them alive before.
"""

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

WEEK = 7 * 24 * 3600


class RenditionCache(BaseCache):
    def __init__(self, location, params):
        params = {"TIMEOUT": WEEK, **params}
        super().__init__(params)
        self._alias = params.get("OPTIONS", {}).get("CACHE", "default")

    @property
    def _store(self):
        return caches[self._alias]

    def _timeout(self, timeout):
        return self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout

    def get(self, key, default=None, version=None):
        value = self._store.get(self.make_key(key, version))
        return default if value is None else _read(value)

    def get_many(self, keys, version=None):
        made = {self.make_key(key, version): key for key in keys}
        found = self._store.get_many(list(made))
        return {made[key]: _read(value) for key, value in found.items()}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._store.set(self.make_key(key, version), value, self._timeout(timeout))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_key(key, version)
        return self._store.add(made, value, self._timeout(timeout))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        made = {self.make_key(key, version): value for key, value in data.items()}
        return self._store.set_many(made, self._timeout(timeout))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._store.touch(self.make_key(key, version), self._timeout(timeout))

    def delete(self, key, version=None):
        return self._store.delete(self.make_key(key, version))

    def delete_many(self, keys, version=None):
        self._store.delete_many([self.make_key(key, version) for key in keys])

    def has_key(self, key, version=None):
        return self._store.has_key(self.make_key(key, version))

    def clear(self):
        # Renditions share the other cache's store: clearing them alone would mean
        # listing every key, which neither the file cache nor Redis does cheaply.
        self._store.clear()


def _read(rendition):
    # Wagtail's mark for "came from the cache, do not write it back".
    rendition._from_cache = True
    return rendition
