from ..models import HouseAd
from .base import AdProvider, Creative


class HouseAdProvider(AdProvider):
    """Fills every slot with the house ad an editor set in the admin's settings."""

    def creative_for(self, placement, request, page=None):
        house_ad = HouseAd.for_request(request) if request else None
        if house_ad is None or house_ad.image is None:
            return None
        rendition = house_ad.image.get_rendition(
            f"fill-{placement.width}x{placement.height}"
        )
        return Creative(
            image_url=rendition.url,
            link_url=house_ad.link_url,
            alt_text=house_ad.alt_text or house_ad.image.title,
            width=placement.width,
            height=placement.height,
        )
