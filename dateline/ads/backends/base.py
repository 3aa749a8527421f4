"""The seam between an ad slot and whatever fills it.

An ``AdProvider`` is a class with hook methods, in the shape of Django's ``Feed``: a
newsroom changes one behaviour by subclassing and overriding one method. The slot's
size is reserved by the page whichever provider fills it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..selection import PageContext, Slot
from ..tokens import AdEvent


@dataclass(frozen=True)
class Creative:
    """What fills a slot. ``event`` is set when showing it is counted (a campaign's
    creative); a house ad is not counted."""

    image_url: str = ""
    link_url: str = ""
    alt_text: str = ""
    width: int = 0
    height: int = 0
    kind: str = "image"
    headline: str = ""
    text: str = ""
    html: str = ""
    advertiser: str = ""
    event: AdEvent | None = None


# Where an ad network's tag reaches: its script, the images and frames of its ads, and
# the requests it makes to choose them.
NETWORK_DIRECTIVES = ("script-src", "img-src", "frame-src", "connect-src")


class AdProvider:
    """Chooses what fills ad slots. Subclass and override the hook methods."""

    #: Hosts a reader's browser would contact when this provider fills a slot. A
    #: provider with any asks the reader's consent first.
    third_party_hosts: tuple[str, ...] = ()

    def prepare(self, slots: list[Slot], page: PageContext) -> None:
        """Called once before :meth:`creative_for` is called for several slots."""

    def creative_for(
        self, slot: Slot, page: PageContext, *, size: tuple[int, int], turn: int
    ) -> Creative | None:
        """What to show in ``slot`` at ``size`` on ``page``; None shows nothing.
        ``turn`` grows by one with every slot filled anywhere: use it to rotate."""
        return None

    def network_slot(self, slot: Slot, page: PageContext) -> dict | None:
        """What a third-party network's script needs to fill ``slot`` in the
        reader's browser, once the reader consents; None when it does not."""
        return None

    def has_fallback(self, slot: Slot, page: PageContext) -> bool:
        """Whether the page should carry the no-JavaScript fallback for ``slot``:
        only when something could be in it, so no empty box is ever shown."""
        return False

    def needs_consent(self) -> bool:
        return bool(self.third_party_hosts)

    def csp_sources(self) -> dict[str, tuple[str, ...]]:
        """What the site's Content-Security-Policy must allow, by directive, for
        this provider's script to work in the reader's browser: nothing unless it
        has third-party hosts."""
        sources = tuple(f"https://{host}" for host in self.third_party_hosts)
        if not sources:
            return {}
        return dict.fromkeys(NETWORK_DIRECTIVES, sources)
