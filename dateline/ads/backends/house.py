from ..queries import inventory
from .base import AdProvider, Creative


class HouseAdProvider(AdProvider):
    """Fills every slot with the house ad an editor set in the admin's settings."""

    def creative_for(self, slot, page, *, size, turn):
        house_ad = inventory().house_ads.get(page.site_id)
        if house_ad is None or size not in house_ad["image_urls"]:
            return None
        return Creative(
            image_url=house_ad["image_urls"][size],
            link_url=house_ad["link_url"],
            alt_text=house_ad["alt_text"],
            width=size[0],
            height=size[1],
        )

    def has_fallback(self, slot, page):
        return page.site_id in inventory().house_ads
