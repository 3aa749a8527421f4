"""Fixed-window rate limits kept in Django's cache, so every app process shares them
(Redis in production; the embedded default's SQLite cache on one machine).

They fail safe: while the cache cannot be reached, ``hit`` raises
``CacheUnavailable`` rather than let every post through; the comment view answers
503 and hands the reader their text back."""

import hashlib
import math
import time

from django.core.cache import cache

from dateline.caching.backends import strict


def _key(scope: str, value: str, window: int, now: float) -> str:
    # Hashed so the cache never holds a reader's IP or e-mail address in clear.
    digest = hashlib.sha256(f"{scope}:{value}".lower().encode()).hexdigest()[:32]
    return f"dateline:rl:{scope}:{digest}:{int(now // window)}"


def hit(scope: str, value: str, limit: int, window: int, now: float | None = None):
    """Count one use; return the seconds to wait when over ``limit``, else None."""
    if not value or limit <= 0:
        return None
    now = time.time() if now is None else now
    key = _key(scope, value, window, now)
    with strict():
        count = _count(key, window)
    if count > limit:
        return max(1, math.ceil(window - (now % window)))
    return None


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return 1
