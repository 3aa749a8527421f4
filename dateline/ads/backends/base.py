from dataclasses import dataclass


@dataclass(frozen=True)
class Creative:
    """What fills a slot: an image with its link and alt text."""

    image_url: str
    link_url: str
    alt_text: str
    width: int
    height: int


class AdProvider:
    """Chooses what fills an ad slot. Subclass and override ``creative_for``."""

    def creative_for(self, placement, request, page=None) -> Creative | None:
        """What to show in ``placement`` on ``page``; None leaves the slot out."""
        return None
