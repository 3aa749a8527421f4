"""Writes: setting up what is sold, and counting what was shown.

The Wagtail admin saves placements, campaigns and creatives through its own forms;
either way the models' ``cache_tags()`` invalidate the inventory (dateline.caching).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from . import counting
from .models import (
    Advertiser,
    Campaign,
    CampaignPage,
    Creative,
    Placement,
    SponsoredArticle,
)
from .tokens import AdEvent


def do_count(kind: str, event: AdEvent, user_agent: str) -> bool:
    """Count one impression or click of ``event``'s creative in its placement.

    Invariants: requests whose User-Agent looks like software are not counted; one
    token counts once; nothing about the reader (cookie, address, agent) is stored.
    Returns whether it was counted.
    """
    if counting.is_bot(user_agent):
        return False
    return counting.record(kind, event)


def do_flush_counts() -> int:
    """Move counts kept in the cache into ``AdDailyCount``; safe to call often and
    from several processes at once (one flushes, the others return 0)."""
    return counting.flush()


def do_create_placement(
    key: str,
    kind: str,
    width: int,
    height: int,
    *,
    name: str = "",
    position: int = 0,
    small_size: tuple[int, int] | None = None,
    enabled: bool = True,
) -> Placement:
    small_width, small_height = small_size or (None, None)
    placement = Placement(
        key=key,
        name=name or key,
        kind=kind,
        position=position,
        width=width,
        height=height,
        small_width=small_width,
        small_height=small_height,
        enabled=enabled,
    )
    placement.full_clean()
    placement.save()
    return placement


def do_update_placement(placement: Placement, **fields) -> Placement:
    for name, value in fields.items():
        setattr(placement, name, value)
    placement.full_clean()
    placement.save()
    return placement


def do_create_advertiser(name: str, website: str = "", contact: str = "") -> Advertiser:
    advertiser = Advertiser(name=name, website=website, contact=contact)
    advertiser.full_clean()
    advertiser.save()
    return advertiser


def do_create_campaign(
    advertiser: Advertiser,
    name: str,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    priority: int = 5,
    house: bool = False,
    paused: bool = False,
    daily_cap: int | None = None,
    total_cap: int | None = None,
    placements: Iterable[Placement] = (),
    sections: Iterable = (),
    tags: Iterable[str] = (),
    pages: Iterable = (),
) -> Campaign:
    """A campaign and its targets, validated as the admin form validates it."""
    campaign = Campaign(
        advertiser=advertiser,
        name=name,
        priority=priority,
        house=house,
        paused=paused,
        daily_cap=daily_cap,
        total_cap=total_cap,
        ends_at=ends_at,
    )
    if starts_at is not None:
        campaign.starts_at = starts_at
    campaign.full_clean()
    campaign.placements.set(list(placements))
    campaign.target_sections.set(list(sections))
    campaign.target_tags.set(list(tags))
    campaign.target_pages.set([CampaignPage(page=page) for page in pages])
    campaign.save()
    return campaign


def do_update_campaign(campaign: Campaign, **fields) -> Campaign:
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    return campaign


def do_add_creative(campaign: Campaign, name: str, **fields) -> Creative:
    """A creative for ``campaign``; HTML is sanitised whatever the caller passes."""
    creative = Creative(campaign=campaign, name=name, **fields)
    creative.full_clean()
    creative.save()
    return creative


def do_sponsor_article(page, advertiser: Advertiser, disclaimer: str = ""):
    sponsorship = SponsoredArticle(page=page, advertiser=advertiser)
    if disclaimer:
        sponsorship.disclaimer = disclaimer
    sponsorship.full_clean()
    sponsorship.save()
    return sponsorship
