"""Counting impressions and clicks without tracking readers.

Nothing about the reader is kept: no cookie, no address, no identifier. A count is a
number per campaign, creative, placement and day (``AdDailyCount``). Two ways to
keep it, chosen by ``conf.count_in_cache()``:

* in the cache (Redis): one atomic INCR per event, moved into ``AdDailyCount`` by
  :func:`flush` (the ``flush_ad_counts`` command, the daily scheduler job, and every
  report read);
* straight to the database: one ``UPDATE ... SET n = n + 1`` on the day's row, the
  row made on the first event of the day. The embedded default's cache drops its
  oldest entries when it is full, so without Redis this is the way.

Either way a campaign's impressions today and in all are also kept in the cache, for
the caps: choosing an ad must not read the database.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import conf
from .models import AdDailyCount, Campaign, Creative, Placement
from .tokens import CLICK, IMPRESSION, AdEvent

FLUSH_LOCK = "dateline:ads:flush-lock"
FLUSH_DAYS = 7  # counts older than this that were never flushed are given up
COUNT_TIMEOUT = (FLUSH_DAYS + 1) * 86400
LOCK_RETRIES = 50


def is_bot(user_agent: str) -> bool:
    """Whether a request comes from software rather than a reader (docs/ads.md)."""
    agent = (user_agent or "").lower()
    return not agent or any(pattern in agent for pattern in conf.bot_patterns())


def record(kind: str, event: AdEvent) -> bool:
    """Count one impression or click; False when its token was counted before."""
    if event.nonce and not cache.add(
        f"dateline:ads:seen:{kind}:{event.nonce}", 1, conf.token_max_age()
    ):
        return False
    if kind == IMPRESSION:
        _bump_caps(event)
    if conf.count_in_cache():
        _incr(_count_key(kind, event), COUNT_TIMEOUT)
    else:
        add_to_database(event, **{f"{kind}s": 1})
    return True


def add_to_database(event: AdEvent, impressions: int = 0, clicks: int = 0) -> None:
    """Add to the day's row in one UPDATE; make the row if it is the first."""
    for attempt in range(LOCK_RETRIES):
        try:
            return _add_to_database(event, impressions, clicks)
        except OperationalError as exc:
            # SQLite answers "locked" at once, without its busy timeout, when a
            # shared-cache database (the tests' in-memory one) is being written:
            # wait and try again rather than lose a count.
            if "locked" not in str(exc) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(0.005 * (attempt + 1))


def _add_to_database(event, impressions, clicks):
    rows = AdDailyCount.objects.filter(
        day=event.day,
        campaign_id=event.campaign_id,
        creative_id=event.creative_id,
        placement_id=event.placement_id,
    )
    delta = {
        "impressions": F("impressions") + impressions,
        "clicks": F("clicks") + clicks,
    }
    if rows.update(**delta):
        return
    try:
        with transaction.atomic():
            AdDailyCount.objects.create(
                day=event.day,
                campaign_id=event.campaign_id,
                creative_id=event.creative_id,
                placement_id=event.placement_id,
                impressions=impressions,
                clicks=clicks,
            )
    except IntegrityError:
        # Another request made the row first.
        rows.update(**delta)


def flush() -> int:
    """Move counts from the cache into ``AdDailyCount``; returns how many moved.

    Each counter is decremented by what was read before that is added to the
    database, so events counted meanwhile stay for the next flush and the sum of
    the cache and the database is always the true count.
    """
    if not conf.count_in_cache() or not cache.add(FLUSH_LOCK, 1, 600):
        return 0
    moved = 0
    try:
        keys = _pending_keys()
        names = list(keys)
        for start in range(0, len(names), 1000):
            for name, value in cache.get_many(names[start : start + 1000]).items():
                if value:
                    moved += _move(name, value, *keys[name])
    finally:
        cache.delete(FLUSH_LOCK)
    return moved


def _move(name, value, kind, event) -> int:
    cache.decr(name, value)
    try:
        add_to_database(event, **{f"{kind}s": value})
    except Exception:
        cache.incr(name, value)
        raise
    return value


def _pending_keys() -> dict[str, tuple[str, AdEvent]]:
    """Every counter key that may hold counts: each creative of a campaign that ran
    in the last days, in each placement, on each of those days."""
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=FLUSH_DAYS)
    campaigns = Campaign.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gte=since))
    creatives = Creative.objects.filter(campaign__in=campaigns).values_list(
        "pk", "campaign_id"
    )
    placements = list(Placement.objects.values_list("pk", flat=True))
    keys = {}
    for creative_id, campaign_id in creatives:
        for placement_id in placements:
            for days_ago in range(FLUSH_DAYS + 1):
                day = today - timedelta(days=days_ago)
                event = AdEvent(campaign_id, creative_id, placement_id, day)
                for kind in (IMPRESSION, CLICK):
                    keys[_count_key(kind, event)] = (kind, event)
    return keys


def _count_key(kind: str, event: AdEvent) -> str:
    return (
        f"dateline:ads:n:{event.day.isoformat()}:{event.campaign_id}:"
        f"{event.creative_id}:{event.placement_id}:{kind}"
    )


# Caps


def cap_keys(campaign_id: int, day) -> tuple[str, str]:
    return (
        f"dateline:ads:cap:{campaign_id}:{day.isoformat()}",
        f"dateline:ads:cap:{campaign_id}:total",
    )


def impressions_now(campaigns, inventory, day) -> dict[int, tuple[int, int]]:
    """(today, in all) for each capped campaign, in one cache read."""
    capped = [
        c for c in campaigns if c.daily_cap is not None or c.total_cap is not None
    ]
    if not capped:
        return {}
    keys = {c.id: cap_keys(c.id, day) for c in capped}
    values = cache.get_many([key for pair in keys.values() for key in pair])
    counts = {}
    for campaign_id, (day_key, total_key) in keys.items():
        stored_today, stored_total = _stored(inventory, campaign_id, day)
        counts[campaign_id] = (
            values.get(day_key, stored_today),
            values.get(total_key, stored_total),
        )
    return counts


def _bump_caps(event: AdEvent) -> None:
    from .queries import inventory

    stored_today, stored_total = _stored(inventory(), event.campaign_id, event.day)
    day_key, total_key = cap_keys(event.campaign_id, event.day)
    _incr(day_key, 2 * 86400, initial=stored_today)
    _incr(total_key, None, initial=stored_total)


def _stored(inventory, campaign_id, day) -> tuple[int, int]:
    """What the database held when the inventory was loaded: where a cap counter
    starts if the cache has lost it."""
    today, total = inventory.counts.get(campaign_id, (0, 0))
    return (today if inventory.day == day else 0), total


def _incr(key: str, timeout, initial: int = 0) -> int:
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, initial + 1, timeout):
            return initial + 1
        return cache.incr(key)
