from django.utils import timezone

from ..counting import impressions_now
from ..queries import inventory
from ..selection import choose
from ..tokens import AdEvent, new_nonce
from .base import Creative
from .house import HouseAdProvider


class DirectProvider(HouseAdProvider):
    """The outlet's own campaigns, sold by its ad desk; then the house ad.

    The default provider. Everything comes from this site: no reader's browser is
    sent anywhere else.
    """

    def prepare(self, slots, page):
        self.now = timezone.now()
        self.day = timezone.localdate(self.now)
        self.inventory = inventory()
        candidates = {
            c for slot in slots for c in self.inventory.candidates(slot, page, self.now)
        }
        self.counts = impressions_now(candidates, self.inventory, self.day)

    def creative_for(self, slot, page, *, size, turn):
        if not hasattr(self, "inventory"):
            self.prepare([slot], page)
        candidates = self.inventory.candidates(slot, page, self.now)
        ad = choose(candidates, size, turn, self.counts)
        if ad is None:
            return super().creative_for(slot, page, size=size, turn=turn)
        return Creative(
            kind=ad.kind,
            image_url=ad.image_urls.get(size, ""),
            link_url=ad.click_url,
            alt_text=ad.alt_text,
            width=size[0],
            height=size[1],
            headline=ad.headline,
            text=ad.text,
            html=ad.html,
            advertiser=ad.advertiser,
            event=AdEvent(ad.campaign_id, ad.id, slot.id, self.day, new_nonce()),
        )

    def has_fallback(self, slot, page):
        size = slot.sizes[0]
        for campaign in inventory().candidates(slot, page, timezone.now()):
            if any(ad.kind == "image" for ad in campaign.ads_for(size)):
                return True
        return super().has_fallback(slot, page)
