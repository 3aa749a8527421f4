"""Cache tags: what a cached thing depends on, and the one path of an invalidation.

Anything rendered for readers records the tags it depends on while it is built
(``add_tags("article:123", "comments-of:123")``); fragments read through ``cached``
add their own tags to the page that uses them. A stored page keeps its tags and the
version of each at the time it was built; it is served only while every one of those
versions is unchanged. ``invalidate(tags)`` moves the versions (they never go back,
``versions.py``) and asks the caching proxy to drop what carries the tags.

Tags in use (each model says which of them its changes affect, ``cache_tags()``):

``article:<id>``      the article's own page        ``comments-of:<id>`` its comments
``section:<id>``      a section's listings          ``tag:<slug>``  a tag's listings
``author:<id>``       an author's page, bylines     ``page:<id>``   any other page
``front``             site-wide listings: home, feeds, sitemaps, corrections
``menu``              the section menu              ``site-settings``  site settings
``site``              sites and view restrictions   ``ads-inventory``, ``ads-layout``
``image:<id>``        an image's renditions, in article bodies kept as HTML

Why versions per tag rather than one site-wide number: with one number, approving a
comment threw away every stored page of the site. ``DATELINE_CACHE_TAGS = False``
turns the tags into that one number again (for comparison, see benchmarks/).
"""

import logging
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string

from .versions import bump_versions, forget_request_memo, per_request, read_versions

logger = logging.getLogger(__name__)

EVERYTHING = "all"  # the one tag of the site-wide mode
# What a cacheable response that declared nothing depends on: any change to listings
# or to the site retires it, as the site-wide number did.
DEFAULT_TAGS = ("front", "site")

# The response being built: its tags, and the versions they had when first added.
_recorded: ContextVar["Recording | None"] = ContextVar(
    "dateline_cache_tags", default=None
)


def granular() -> bool:
    return getattr(settings, "DATELINE_CACHE_TAGS", True)


def effective(tags) -> list[str]:
    """``tags`` as stored and invalidated: all one tag in the site-wide mode."""
    tags = list(dict.fromkeys(tags))
    return tags if granular() else ([EVERYTHING] if tags else [])


class Recording:
    """``with Recording() as built:`` ``built.tags`` are the tags added inside (for
    the proxy's header), ``built.versions`` what the app's cache keeps them under."""

    def __init__(self):
        self.tags: dict[str, None] = {}
        self.versions: dict[str, int] = {}

    def __enter__(self):
        self._token = _recorded.set(self)
        return self

    def __exit__(self, *exc):
        _recorded.reset(self._token)

    def add(self, tags):
        self.tags.update(dict.fromkeys(tags))
        new = [tag for tag in effective(tags) if tag not in self.versions]
        if new:
            self.versions.update(read_versions(new))

    def merge(self, tags, versions):
        """What another build recorded: ``tags`` with the versions they had then."""
        self.tags.update(dict.fromkeys(tags))
        for tag, number in versions.items():
            self.versions.setdefault(tag, number)


def add_tags(*tags) -> None:
    """The response being built depends on ``tags``.

    Their versions are read now, before the data they guard is read: a change that
    lands during the build then retires what was built."""
    recording = _recorded.get()
    if recording is not None:
        recording.add(tags)


def merge_recorded(tags, versions) -> None:
    """The response being built depends on what another build recorded: ``tags``
    with the ``versions`` they had then (a kept part of a page read or built)."""
    recording = _recorded.get()
    if recording is not None:
        recording.merge(tags, versions)


def versions_of(tags) -> dict[str, int]:
    """The current versions of ``tags`` (as the app's cache keys on them)."""
    return read_versions(effective(tags))


def still_fresh(versions: dict[str, int]) -> bool:
    """Whether every tag still has the version it had when the entry was built."""
    return not versions or read_versions(list(versions)) == versions


def cached(key: str, build, tags, timeout=3600, page_tags=None, switchable=True):
    """``build()``'s result, kept until one of ``tags`` is invalidated; read once
    per request however often it is asked for.

    For what many pages repeat (site settings, the section menu, the ads inventory):
    one cache read instead of database queries. The page that uses it depends on
    ``page_tags`` (by default the same tags). Off with
    ``DATELINE_FRAGMENT_CACHE = False`` unless not ``switchable``.
    """
    add_tags(*(tags if page_tags is None else page_tags))
    if switchable and not getattr(settings, "DATELINE_FRAGMENT_CACHE", True):
        return build()
    return per_request(
        f"dateline:fragment:{key}", lambda: _read(key, build, tags, timeout)
    )


def _read(key, build, tags, timeout):
    versions = read_versions(effective(tags))
    full_key = f"dateline:fragment:{key}"
    stored = cache.get(full_key)
    if stored is not None and stored[0] == versions:
        return stored[1]
    value = build()
    cache.set(full_key, (versions, value), timeout)
    return value


def invalidate(tags) -> None:
    """Retire everything that depends on ``tags``, in the app and in the proxy.

    The versions move now, so the rest of this transaction (and this request) sees
    the change, and again once it commits: anything built in between, from the old
    rows, is retired too. The proxy is told after the commit, and everything is
    retired once more ``DATELINE_PROXY_REPURGE_SECONDS`` later, for a build that read
    the old rows and finished after that.
    """
    tags = list(dict.fromkeys(tags))
    if not tags:
        return
    bump_versions(effective(tags))
    forget_request_memo()
    transaction.on_commit(lambda: _after_commit(tags))


def _after_commit(tags):
    from .proxy import purge_tags
    from .tasks import retire_again_later

    wait_until_readers_see_commit()
    bump_versions(effective(tags))
    forget_request_memo()  # this request's own later reads see the change
    purge_tags(tags)  # the proxy keeps the precise tags in either mode
    # A page being built from the old rows right now is stored after this: the
    # worker retires the tags once more a moment later (caching/tasks.py).
    retire_again_later(tags)


def wait_until_readers_see_commit() -> None:
    """Run ``DATELINE_CACHE_RETIRE_AFTER`` (a dotted path; none by default) before the
    caches are retired: where pages are built from a copy of the database that lags
    the primary (a streaming replica), a page rebuilt at once could show the old rows
    and be stored under the new versions. The project names the wait; this package
    knows nothing of replicas."""
    path = getattr(settings, "DATELINE_CACHE_RETIRE_AFTER", None)
    if path:
        import_string(path)()
