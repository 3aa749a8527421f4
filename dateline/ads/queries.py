"""Reads: the inventory every slot is filled from, and the reports.

The inventory (placements, running campaigns with their creatives and rendered images,
house ads, sponsored articles) is loaded in a fixed number of queries, kept in Django's
cache until one of the ads models declares a change (their ``cache_tags()``,
``dateline.caching``), and read once a request. A page view or a fill request
therefore costs one cache read and no query.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from wagtail.models import Site

from dateline.caching.tags import cached, invalidate

from . import conf
from .models import (
    INVENTORY_TAG,
    LAYOUT_TAG,
    AdDailyCount,
    Campaign,
    Creative,
    HouseAd,
    Placement,
    SponsoredArticle,
)
from .sanitise import CLICK_PLACEHOLDER, point_links_at
from .selection import Ad, CampaignEntry, Inventory, Slot


def inventory() -> Inventory:
    """The current inventory: from the cache until a change to what can be shown
    (``cache_tags()`` of the ads models), else from the database; read once a
    request."""
    return cached(
        "ads:inventory",
        load_inventory,
        [INVENTORY_TAG],
        timeout=_max_age(),
        page_tags=[LAYOUT_TAG],
        switchable=False,
    )


def invalidate_inventory() -> None:
    """Every process reloads the inventory on its next request."""
    invalidate([INVENTORY_TAG])


def _max_age() -> int:
    return conf.inventory_max_age()


def load_inventory(now=None) -> Inventory:
    now = now or timezone.now()
    today = timezone.localdate(now)
    slots = {
        p.key: Slot(
            p.pk,
            p.key,
            p.kind,
            p.position,
            p.width,
            p.height,
            p.small_width,
            p.small_height,
        )
        for p in Placement.objects.filter(enabled=True)
    }
    campaigns = tuple(_campaign_entries(slots, now))
    sites = list(Site.objects.all())
    return Inventory(
        loaded_at=now,
        day=today,
        slots=slots,
        campaigns=campaigns,
        counts=_impressions_so_far([c.id for c in campaigns], today),
        house_ads=_house_ads(slots),
        default_site_id=next((s.pk for s in sites if s.is_default_site), None),
        site_hosts={(s.hostname, s.port): s.pk for s in sites},
        sponsored=_sponsorships(),
        digest=_digest(slots),
    )


def _campaign_entries(slots, now):
    creatives = Creative.objects.filter(active=True).prefetch_related(
        "image__renditions"
    )
    campaigns = (
        Campaign.objects.running(now)
        .select_related("advertiser")
        .prefetch_related(
            "placements",
            "target_sections",
            "target_pages",
            "tagged_items__tag",
            Prefetch("creatives", queryset=creatives.select_related("image")),
        )
    )
    for campaign in campaigns:
        placement_ids = frozenset(p.pk for p in campaign.placements.all())
        sizes = {
            size
            for slot in slots.values()
            if not placement_ids or slot.id in placement_ids
            for size in slot.sizes
        }
        ads = tuple(
            ad
            for creative in campaign.creatives.all()
            if (ad := _ad(creative, campaign.advertiser.name, sizes)) is not None
        )
        if not ads:
            continue
        yield CampaignEntry(
            id=campaign.pk,
            priority=campaign.priority,
            house=campaign.house,
            starts_at=campaign.starts_at,
            ends_at=campaign.ends_at,
            ads=ads,
            daily_cap=campaign.daily_cap,
            total_cap=campaign.total_cap,
            placement_ids=placement_ids,
            section_ids=frozenset(s.pk for s in campaign.target_sections.all()),
            tags=frozenset(item.tag.slug for item in campaign.tagged_items.all()),
            page_ids=frozenset(t.page_id for t in campaign.target_pages.all()),
        )


def _ad(creative: Creative, advertiser: str, sizes) -> Ad | None:
    common = {
        "id": creative.pk,
        "campaign_id": creative.campaign_id,
        "kind": creative.kind,
        "click_url": creative.click_url,
        "advertiser": advertiser,
        "width": creative.width,
        "height": creative.height,
    }
    if creative.kind == Creative.Kind.IMAGE:
        if creative.image is None:
            return None
        wanted = [s for s in sizes if creative.fits(*s)]
        return Ad(
            **common,
            image_urls=_image_urls(creative.image, wanted),
            alt_text=creative.alt_text or creative.image.title,
        )
    if creative.kind == Creative.Kind.TEXT:
        return Ad(**common, headline=creative.headline, text=creative.text)
    return Ad(**common, html=point_links_at(creative.html, CLICK_PLACEHOLDER))


def _image_urls(image, sizes) -> dict[tuple[int, int], str]:
    specs = {size: f"fill-{size[0]}x{size[1]}" for size in sizes}
    renditions = image.get_renditions(*specs.values()) if specs else {}
    return {size: renditions[spec].url for size, spec in specs.items()}


def _house_ads(slots) -> dict[int, dict]:
    sizes = {size for slot in slots.values() for size in slot.sizes}
    house_ads = {}
    for house_ad in HouseAd.objects.select_related("image").prefetch_related(
        "image__renditions"
    ):
        if house_ad.image is None:
            continue
        house_ads[house_ad.site_id] = {
            "image_urls": _image_urls(house_ad.image, sizes),
            "link_url": house_ad.link_url,
            "alt_text": house_ad.alt_text or house_ad.image.title,
        }
    return house_ads


def _impressions_so_far(campaign_ids, today) -> dict[int, tuple[int, int]]:
    rows = (
        AdDailyCount.objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id")
        .annotate(
            today=Sum("impressions", filter=Q(day=today), default=0),
            total=Sum("impressions", default=0),
        )
    )
    return {row["campaign_id"]: (row["today"], row["total"]) for row in rows}


def _sponsorships() -> dict[int, dict]:
    return {
        s.page_id: {
            "advertiser": s.advertiser.name,
            "website": s.advertiser.website,
            "disclaimer": s.disclaimer,
        }
        for s in SponsoredArticle.objects.select_related("advertiser")
    }


def _digest(slots) -> str:
    # The kind too: a placement moved to the sidebar changes the column's width.
    sizes = sorted((s.key, s.kind, s.sizes) for s in slots.values())
    return hashlib.sha256(repr(sizes).encode()).hexdigest()[:12]


# Reports


@dataclass(frozen=True)
class ReportRow:
    label: str
    impressions: int
    clicks: int

    @property
    def ctr(self) -> float:
        """Clicks per hundred impressions."""
        return 100 * self.clicks / self.impressions if self.impressions else 0.0


GROUPS = {
    "campaign": ("campaign_id", "campaign__advertiser__name", "campaign__name"),
    "creative": ("creative_id", "campaign__name", "creative__name"),
    "placement": ("placement_id", "placement__key"),
    "day": ("day",),
}


def counts_between(start: date, end: date, campaign_id=None):
    rows = AdDailyCount.objects.filter(day__range=(start, end))
    if campaign_id:
        rows = rows.filter(campaign_id=campaign_id)
    return rows


def report(start: date, end: date, by: str = "campaign", campaign_id=None):
    """Impressions and clicks between two days (inclusive), one row per ``by``."""
    fields = GROUPS[by]
    rows = (
        counts_between(start, end, campaign_id)
        .values(*fields)
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
        .order_by(*fields[1:], *fields[:1])
    )
    return [
        ReportRow(_label(by, row), row["impressions"], row["clicks"]) for row in rows
    ]


def _label(by, row) -> str:
    if by == "day":
        return row["day"].isoformat()
    if by == "placement":
        return row["placement__key"]
    first, second = GROUPS[by][1:]
    return f"{row[first]}: {row[second]}"


def daily_series(start: date, end: date, campaign_id=None) -> list[ReportRow]:
    """One row per day in the range, days with nothing included as zeros."""
    by_day = {row.label: row for row in report(start, end, "day", campaign_id)}
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [
        by_day.get(day.isoformat(), ReportRow(day.isoformat(), 0, 0)) for day in days
    ]


def invoice_rows(start: date, end: date, campaign_id=None):
    """Every stored count in the range with the names an invoice needs."""
    return (
        counts_between(start, end, campaign_id)
        .select_related("campaign__advertiser", "creative", "placement")
        .order_by("day", "campaign__advertiser__name", "campaign__name", "pk")
    )


@dataclass(frozen=True)
class Delivery:
    """A campaign's impressions against its cap: in all, and on the report's last
    day against its daily cap."""

    campaign: Campaign
    delivered: int
    on_last_day: int

    @property
    def goal(self) -> int | None:
        return self.campaign.total_cap

    @property
    def percent(self) -> float | None:
        """How much of the total cap is delivered, at most 100."""
        if not self.goal:
            return None
        return min(100.0, 100 * self.delivered / self.goal)


def delivery(start: date, end: date, campaign_id=None) -> list[Delivery]:
    """Each campaign that ran in the range, with its delivery to ``end``: two
    queries however many campaigns and days."""
    campaigns = Campaign.objects.select_related("advertiser").filter(
        starts_at__date__lte=end
    )
    campaigns = campaigns.filter(Q(ends_at__isnull=True) | Q(ends_at__date__gte=start))
    if campaign_id:
        campaigns = campaigns.filter(pk=campaign_id)
    campaigns = list(campaigns.filter(house=False).order_by("advertiser__name", "name"))
    totals = (
        AdDailyCount.objects.filter(
            campaign__in=[c.pk for c in campaigns], day__lte=end
        )
        .values("campaign_id")
        .annotate(
            delivered=Sum("impressions"),
            last_day=Sum("impressions", filter=Q(day=end)),
        )
    )
    by_campaign = {row["campaign_id"]: row for row in totals}
    return [
        Delivery(
            c,
            by_campaign.get(c.pk, {}).get("delivered") or 0,
            by_campaign.get(c.pk, {}).get("last_day") or 0,
        )
        for c in campaigns
    ]
