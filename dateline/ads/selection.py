"""Choosing what fills a slot, in memory, from the inventory loaded once.

The rules, in order: a campaign must be live now, not paused, meant for the placement,
aimed at this page (or at the whole site), under its daily and total caps, and have a
creative that fits the slot's size. Paid campaigns come first; house campaigns fill
only where no paid one fits. Among the candidates each campaign's share is its
priority, and the ``turn`` (a counter shared by every process) rotates through them
so that equals take strict turns rather than a random walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from math import gcd


@dataclass(frozen=True)
class Slot:
    """A placement as the pages and the chooser see it."""

    id: int
    key: str
    kind: str
    position: int
    width: int
    height: int
    small_width: int | None = None
    small_height: int | None = None

    @property
    def sizes(self) -> tuple[tuple[int, int], ...]:
        if self.small_width and self.small_height:
            return ((self.width, self.height), (self.small_width, self.small_height))
        return ((self.width, self.height),)

    def size(self, requested: tuple[int, int] | None) -> tuple[int, int]:
        """The size the page reserved, if it is one of ours; else the main one."""
        return requested if requested in self.sizes else self.sizes[0]


@dataclass(frozen=True)
class PageContext:
    """What the chooser knows of the page: from the slot's data attributes."""

    page_id: int | None = None
    section_id: int | None = None
    tags: frozenset[str] = frozenset()
    site_id: int | None = None


# eq=False: compared and hashed by identity; an inventory holds one of each.
@dataclass(frozen=True, eq=False)
class Ad:
    """A creative ready to show, with its image already rendered for each size."""

    id: int
    campaign_id: int
    kind: str
    click_url: str
    advertiser: str = ""
    width: int | None = None
    height: int | None = None
    image_urls: dict[tuple[int, int], str] = field(default_factory=dict)
    alt_text: str = ""
    headline: str = ""
    text: str = ""
    html: str = ""

    def fits(self, size: tuple[int, int]) -> bool:
        if self.width and (self.width, self.height) != size:
            return False
        return self.kind != "image" or size in self.image_urls


@dataclass(frozen=True, eq=False)
class CampaignEntry:
    id: int
    priority: int
    house: bool
    starts_at: datetime
    ends_at: datetime | None
    ads: tuple[Ad, ...]
    daily_cap: int | None = None
    total_cap: int | None = None
    placement_ids: frozenset[int] = frozenset()  # empty: every placement
    section_ids: frozenset[int] = frozenset()
    tags: frozenset[str] = frozenset()
    page_ids: frozenset[int] = frozenset()

    def is_live(self, now: datetime) -> bool:
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)

    def runs_in(self, slot: Slot) -> bool:
        return not self.placement_ids or slot.id in self.placement_ids

    def targets(self, page: PageContext) -> bool:
        """Untargeted campaigns run everywhere; targeted ones where any target
        matches: the page itself, its section, or one of its tags."""
        if not (self.section_ids or self.tags or self.page_ids):
            return True
        return (
            page.page_id in self.page_ids
            or page.section_id in self.section_ids
            or bool(self.tags & page.tags)
        )

    def is_capped(self, today: int, total: int) -> bool:
        return (self.daily_cap is not None and today >= self.daily_cap) or (
            self.total_cap is not None and total >= self.total_cap
        )

    def ads_for(self, size: tuple[int, int]) -> tuple[Ad, ...]:
        return tuple(ad for ad in self.ads if ad.fits(size))


@dataclass
class Inventory:
    """Everything a page view needs to fill its slots, loaded in a few queries."""

    loaded_at: datetime
    day: date
    slots: dict[str, Slot]
    campaigns: tuple[CampaignEntry, ...]
    # Impressions already in the database when loaded: (today, all time).
    counts: dict[int, tuple[int, int]] = field(default_factory=dict)
    house_ads: dict[int, dict] = field(default_factory=dict)
    default_site_id: int | None = None
    site_hosts: dict[tuple[str, int], int] = field(default_factory=dict)
    sponsored: dict[int, dict] = field(default_factory=dict)
    digest: str = ""

    def __post_init__(self):
        self.by_slot = {
            slot.id: tuple(c for c in self.campaigns if c.runs_in(slot))
            for slot in self.slots.values()
        }
        self.ads = {ad.id: ad for c in self.campaigns for ad in c.ads}

    def candidates(self, slot: Slot, page: PageContext, now: datetime):
        """Campaigns that may fill ``slot`` on ``page`` now, before caps."""
        return [
            c
            for c in self.by_slot.get(slot.id, ())
            if c.is_live(now) and c.targets(page)
        ]

    def site_for(self, host: str, port: int) -> int | None:
        return self.site_hosts.get((host, port), self.default_site_id)


def choose(
    candidates, size: tuple[int, int], turn: int, counts: dict[int, tuple[int, int]]
) -> Ad | None:
    """The ad for one slot: paid campaigns first, then house campaigns; within a tier
    weighted by priority and rotated by ``turn``. None when nothing fits."""
    fitting = [
        (campaign, ads)
        for campaign in candidates
        if not campaign.is_capped(*counts.get(campaign.id, (0, 0)))
        and (ads := campaign.ads_for(size))
    ]
    for house in (False, True):
        tier = [(c, ads) for c, ads in fitting if c.house is house]
        if tier:
            return _rotate(tier, turn)
    return None


def _rotate(tier, turn: int) -> Ad:
    tier.sort(key=lambda entry: entry[0].id)
    # Shares in lowest terms: three campaigns of priority 5 take turns one by one.
    common = reduce(gcd, (campaign.priority for campaign, _ in tier))
    shares = [campaign.priority // common for campaign, _ in tier]
    total = sum(shares)
    point = (turn * stride(total)) % total
    for share, (_, ads) in zip(shares, tier, strict=True):
        if point < share:
            return ads[(turn // total) % len(ads)]
        point -= share
    raise AssertionError("unreachable: point < total")


def stride(total: int) -> int:
    """A step coprime with ``total`` near its golden section: stepping by it visits
    every point of 0..total-1 once per ``total`` turns, spread out, so a campaign
    with 3 of 4 shares does not take its three turns in a row."""
    step = max(1, round(total * 0.618))
    while gcd(step, total) != 1:
        step += 1
    return step
