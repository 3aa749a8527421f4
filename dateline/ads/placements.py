"""Where ads can appear, and the space each reserves so the page never shifts."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    name: str
    width: int
    height: int


ARTICLE_INLINE = Placement("article-inline", 300, 250)

PLACEMENTS = {placement.name: placement for placement in [ARTICLE_INLINE]}
