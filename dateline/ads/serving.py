"""From a request for ads to what the reader's browser is sent: which slots, for which
page, and each creative as JSON with its signed impression and click tokens."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.urls import reverse

from . import conf
from .backends import Creative, get_provider
from .queries import inventory
from .sanitise import CLICK_PLACEHOLDER
from .selection import PageContext, Slot
from .tokens import CLICK, IMPRESSION, make_token

TURN_KEY = "dateline:ads:turn"
MAX_SLOTS = 12
MAX_TAGS = 30


def page_context(request) -> PageContext:
    """The page as its slots describe it (data attributes, sent back as a query)."""
    query = request.GET
    tags = [tag for tag in query.get("tags", "").split(",") if tag][:MAX_TAGS]
    host, _, _ = request.get_host().partition(":")
    return PageContext(
        page_id=_number(query.get("page")),
        section_id=_number(query.get("section")),
        tags=frozenset(tags),
        site_id=inventory().site_for(host, int(request.get_port() or 80)),
    )


def requested_slots(request) -> list[tuple[Slot, tuple[int, int]]]:
    """``slots=key:300x250,key2:728x90``: each known placement with the size the
    page reserved for it."""
    slots = inventory().slots
    wanted = []
    for item in request.GET.get("slots", "").split(",")[:MAX_SLOTS]:
        key, _, size = item.partition(":")
        if key in slots:
            wanted.append((slots[key], slots[key].size(_size(size))))
    return wanted


def fill(request) -> dict[str, dict]:
    """What goes in each requested slot; ``{"kind": "none"}`` empties it."""
    page = page_context(request)
    wanted = requested_slots(request)
    if not wanted:
        return {}
    provider = get_provider()
    provider.prepare([slot for slot, _ in wanted], page)
    first = next_turns(len(wanted))
    filled = {}
    for offset, (slot, size) in enumerate(wanted):
        creative = provider.creative_for(slot, page, size=size, turn=first + offset)
        if creative is not None:
            filled[slot.key] = as_json(creative)
        elif network := provider.network_slot(slot, page):
            filled[slot.key] = {"kind": "network", **network, "size": list(size)}
        else:
            filled[slot.key] = {"kind": "none"}
    return filled


def noscript_creative(request, key: str) -> tuple[Slot, Creative] | None:
    """The image ad for a page read without JavaScript. The image and the link are
    two requests, so both choose with the same turn: the current time window."""
    slot = inventory().slots.get(key)
    if slot is None:
        return None
    turn = int(time.time()) // conf.noscript_window()
    creative = get_provider().creative_for(
        slot, page_context(request), size=slot.sizes[0], turn=turn
    )
    if creative is None or creative.kind != "image":
        return None
    return slot, creative


def next_turns(count: int) -> int:
    """The first of ``count`` consecutive turns, shared by every process."""
    try:
        return cache.incr(TURN_KEY, count) - count
    except ValueError:
        cache.add(TURN_KEY, 0, timeout=None)
        return cache.incr(TURN_KEY, count) - count


def as_json(creative: Creative) -> dict:
    data = {"kind": creative.kind, "width": creative.width, "height": creative.height}
    href = creative.link_url
    if creative.event is not None:
        href = reverse("ads:click", args=[make_token(CLICK, creative.event)])
        data["impression"] = make_token(IMPRESSION, creative.event)
    if creative.kind == "image":
        data.update(src=creative.image_url, alt=creative.alt_text, href=href)
    elif creative.kind == "text":
        data.update(
            headline=creative.headline,
            text=creative.text,
            advertiser=creative.advertiser,
            href=href,
        )
    else:
        data["html"] = creative.html.replace(CLICK_PLACEHOLDER, href)
    return data


def _number(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _size(value: str) -> tuple[int, int] | None:
    width, _, height = value.partition("x")
    if width.isdigit() and height.isdigit() and len(value) < 12:
        return int(width), int(height)
    return None
