"""Signed tokens for impressions and clicks: a fill hands them out, a beacon or a click
brings one back. Only the server can make one, so nobody can count an impression for
an arbitrary campaign; each carries a nonce so it counts once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.core import signing

from . import conf

IMPRESSION = "impression"
CLICK = "click"
KINDS = (IMPRESSION, CLICK)


class BadToken(Exception):
    """Forged, altered, expired or of the wrong kind."""


@dataclass(frozen=True)
class AdEvent:
    """One ad shown in one placement on one day; what a token identifies."""

    campaign_id: int
    creative_id: int
    placement_id: int
    day: date
    nonce: str = ""


def new_nonce() -> str:
    return secrets.token_urlsafe(9)


def make_token(kind: str, event: AdEvent) -> str:
    payload = [
        event.campaign_id,
        event.creative_id,
        event.placement_id,
        event.day.isoformat(),
        event.nonce,
    ]
    return signing.dumps(payload, salt=_salt(kind), compress=False)


def read_token(kind: str, token: str) -> AdEvent:
    try:
        payload = signing.loads(token, salt=_salt(kind), max_age=conf.token_max_age())
        campaign_id, creative_id, placement_id, day, nonce = payload
        return AdEvent(
            int(campaign_id),
            int(creative_id),
            int(placement_id),
            date.fromisoformat(day),
            str(nonce),
        )
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken(str(exc)) from None


def _salt(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    return f"dateline.ads.{kind}"
