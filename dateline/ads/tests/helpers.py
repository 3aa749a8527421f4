"""Building ad data for tests through the ads app's actions, and reading what a
reader's browser would be sent."""

import itertools
from datetime import timedelta

from django.utils import timezone

from dateline.ads.actions import (
    do_add_creative,
    do_create_advertiser,
    do_create_campaign,
)
from dateline.ads.models import Placement
from dateline.testing.factories import make_image

# What a reader's browser says it is; the tests' own clients send no User-Agent,
# which the counting treats as software.
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"

_numbers = itertools.count(1)


def placement(key="article-inline-3") -> Placement:
    return Placement.objects.get(key=key)


def make_campaign(
    name=None,
    *,
    advertiser=None,
    placements=("article-inline-3",),
    creatives=1,
    **fields,
):
    """A running campaign with ``creatives`` image creatives (300×250)."""
    number = next(_numbers)
    advertiser = advertiser or do_create_advertiser(f"Advertiser {number}")
    fields.setdefault("starts_at", timezone.now() - timedelta(hours=1))
    campaign = do_create_campaign(
        advertiser,
        name or f"Campaign {number}",
        placements=[placement(key) for key in placements],
        **fields,
    )
    for index in range(creatives):
        make_creative(campaign, name=f"{campaign.name} creative {index + 1}")
    return campaign


def make_creative(campaign, name=None, **fields):
    fields.setdefault("kind", "image")
    if fields["kind"] == "image":
        fields.setdefault("image", make_image(name or "Ad", size=(600, 500)))
        fields.setdefault("alt_text", f"{campaign.name} ad")
    fields.setdefault("click_url", "https://advertiser.example/offer")
    return do_add_creative(campaign, name or f"{campaign.name} creative", **fields)


def fill(client, slots="article-inline-3:300x250", **page):
    """The fill response's slots, as ads.js receives them."""
    response = client.get(
        "/ads/fill/", {"slots": slots, **page}, HTTP_USER_AGENT=READER
    )
    assert response.status_code == 200, response.status_code
    return response.json()["slots"]


def campaign_shown(client, key="article-inline-3", **page):
    """The id of the campaign whose ad a fill puts in ``key``, or None."""
    from dateline.ads.tokens import IMPRESSION, read_token

    ad = fill(client, f"{key}:{page.pop('size', '300x250')}", **page)[key]
    if "impression" not in ad:
        return None
    return read_token(IMPRESSION, ad["impression"]).campaign_id
