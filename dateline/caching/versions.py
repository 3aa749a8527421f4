"""Invalidation versions that never go back.

A cached entry's key holds the version it was built under; moving the version
retires the entry. If a version could restart (expire, be evicted by a full cache,
be reset by a cache's ``incr`` that rewrites the key with the default timeout) the
keys of entries stored long ago would be valid again, and readers would see them.

So a version here is a time in nanoseconds: when it is missing it is seeded from the
clock, which is later than any version handed out before; a bump moves it to
``max(now, old + 1)``. It is written with no timeout and never ``incr``-ed. Losing
it costs one miss of everything it guarded, never a stale page.

Reads are kept for the rest of the request (``request_scope``), so a page asks the
shared cache for each version once however many fragments depend on it.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

PREFIX = "dateline:version:"

_request_memo: ContextVar[dict | None] = ContextVar("dateline_memo", default=None)


@contextmanager
def request_scope():
    """Values read through ``per_request`` are kept until the block ends."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def per_request(key: str, read):
    """``read()``, once per request; every call outside a request reads afresh."""
    memo = _request_memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def forget_per_request(key: str) -> None:
    """After a write in this request, its own later reads must see the new value."""
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(key, None)


def forget_request_memo() -> None:
    """Everything this request kept is read afresh (after an invalidation in it)."""
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def read_version(name: str, now_ns: int | None = None) -> int:
    """The current version of ``name``, seeded from the clock when missing."""
    return per_request(PREFIX + name, lambda: _read(name, now_ns))


def read_versions(names, now_ns: int | None = None) -> dict[str, int]:
    """The current versions of several names in one cache round trip."""
    memo = _request_memo.get()
    wanted = [n for n in names if memo is None or PREFIX + n not in memo]
    found = _read_many(wanted, now_ns) if wanted else {}
    if memo is not None:
        memo.update({PREFIX + n: v for n, v in found.items()})
        return {n: memo[PREFIX + n] for n in names}
    return found


def bump_version(name: str, now_ns: int | None = None) -> int:
    """Move ``name`` past every value it has had; returns the new version."""
    return bump_versions([name], now_ns)[name]


def bump_versions(names, now_ns: int | None = None) -> dict[str, int]:
    names = list(dict.fromkeys(names))
    if not names:
        return {}
    now_ns = time.time_ns() if now_ns is None else now_ns
    old = cache.get_many([PREFIX + n for n in names])
    new = {n: max(now_ns, (old.get(PREFIX + n) or 0) + 1) for n in names}
    cache.set_many({PREFIX + n: v for n, v in new.items()}, timeout=None)
    for name in names:
        forget_per_request(PREFIX + name)
    return new


def _read(name: str, now_ns: int | None) -> int:
    return _read_many([name], now_ns)[name]


def _read_many(names, now_ns: int | None) -> dict[str, int]:
    keys = [PREFIX + n for n in names]
    if len(keys) == 1:
        found = {keys[0]: cache.get(keys[0])}
    else:
        found = cache.get_many(keys)
    for key in keys:
        if found.get(key) is None:
            seed = time.time_ns() if now_ns is None else now_ns
            # add(): two processes seeding at once agree on the first one's value.
            cache.add(key, seed, timeout=None)
            found[key] = cache.get(key) or seed
    return {n: found[PREFIX + n] for n in names}
