"""The shared cache: Redis that fails open in production, SQLite on one machine.

Django's ``RedisCache`` raises when Redis cannot be reached, which made every page a
bare 500 while Redis was away. A cache only ever saves work, so here a read that
cannot reach Redis answers "not cached" and a write is dropped; the page is built
from the database instead. A warning is logged (once a minute per process at most)
so the operator knows.

Some callers must not be told "nothing stored" when the truth is unknown: a rate
limit that failed open would let a flood of posts through. They wrap their calls in
``strict()`` and get ``CacheUnavailable`` instead, and refuse the action with a page
that says so.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from diskcache import DjangoCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# A Redis that does not answer must not hold a page for long: connecting is refused
# at once when it is down, but a host that drops packets would wait for ever.
DEFAULT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
WARN_EVERY = 60

_strict: ContextVar[bool] = ContextVar("dateline_cache_strict", default=False)


class CacheUnavailable(Exception):
    """The shared cache could not be reached inside ``strict()``."""


@contextmanager
def strict():
    """Inside the block, an unreachable cache raises ``CacheUnavailable``."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


def _failing(default):
    """A RedisCache method that answers ``default()`` when Redis is away."""

    def wrap(method):
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except self._unreachable as exc:
                return self._failed(exc, default())

        guarded.__name__ = method.__name__
        guarded.__doc__ = method.__doc__
        return guarded

    return wrap


class FailOpenRedisCache(RedisCache):
    _last_warning = -float("inf")

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        import redis

        self._unreachable = (redis.ConnectionError, redis.TimeoutError)

    def _failed(self, exc, default):
        if _strict.get():
            raise CacheUnavailable(str(exc)) from exc
        now = time.monotonic()
        if now - FailOpenRedisCache._last_warning > WARN_EVERY:
            FailOpenRedisCache._last_warning = now
            logger.warning(
                "the shared cache (Redis) is not answering (%s): pages are built "
                "without it until it is back",
                exc,
            )
        return default

    add = _failing(lambda: False)(RedisCache.add)
    set = _failing(lambda: None)(RedisCache.set)
    touch = _failing(lambda: False)(RedisCache.touch)
    delete = _failing(lambda: False)(RedisCache.delete)
    get_many = _failing(dict)(RedisCache.get_many)
    has_key = _failing(lambda: False)(RedisCache.has_key)
    incr = _failing(lambda: 0)(RedisCache.incr)
    set_many = _failing(list)(RedisCache.set_many)
    delete_many = _failing(lambda: None)(RedisCache.delete_many)
    clear = _failing(lambda: False)(RedisCache.clear)

    def get(self, key, default=None, version=None):
        try:
            return RedisCache.get(self, key, default, version)
        except self._unreachable as exc:
            return self._failed(exc, default)


def reachable(cache) -> bool:
    """Whether ``cache`` answers now (always true for caches that do not fail open)."""
    try:
        with strict():
            cache.has_key("dateline:ping")
    except CacheUnavailable:
        return False
    return True


class EmbeddedCache(DjangoCache):
    """The embedded default's shared cache: diskcache's Django backend, entries in
    SQLite files under the data directory, shared by every process on the machine.

    Chosen over Django's file cache (2026-12-05): that one opens, reads and unpickles
    a file per key, so checking a page's dozen-odd cache tag versions cost a dozen
    file reads on every page cache hit, and its ``add`` and ``incr`` are a read then
    a write that two processes can interleave (rate-limit windows and ad counts lost
    increments, two processes could both claim a page's rebuild). Here a read is an
    indexed SQLite lookup and ``add``/``incr`` are transactions.

    Django closes every cache at the end of each request; for this backend that
    means closing its SQLite connections and opening them again on the next
    request, which cost more than the reads themselves. They are kept open instead,
    one per thread, as diskcache is made to be used (it reopens them in a forked
    process).
    """

    def close(self, **kwargs):
        pass
