"""Which slots a page gets, and the space each reserves so the page never shifts.

The placements themselves are rows (``models.Placement``) the ad desk edits; these
are the rules the templates and the slots' stylesheet apply to them.
"""

from .models import Placement
from .queries import inventory
from .selection import Slot

Kind = Placement.Kind
# Kinds placed at a numbered spot: after paragraph N, after front-page block N.
POSITIONED = {Kind.AFTER_PARAGRAPH, Kind.HOME}


def slots_of(kind: str, after: int = 0) -> list[Slot]:
    """The enabled placements of ``kind`` (at ``after``, for positioned kinds)."""
    return sorted(
        (
            slot
            for slot in inventory().slots.values()
            if slot.kind == kind and (kind not in POSITIONED or slot.position == after)
        ),
        key=lambda slot: slot.key,
    )


def slots_after_paragraph(number: int, paragraphs: int) -> list[Slot]:
    """In-story slots after paragraph ``number`` of a story of ``paragraphs``: none
    unless a paragraph follows, so a short story does not end on an ad (its end has
    a slot of its own)."""
    if not number or paragraphs <= number:
        return []
    return slots_of(Kind.AFTER_PARAGRAPH, number)


def reserved_sizes(slots) -> list[tuple[int, int]]:
    """Every size some slot reserves: one CSS class each."""
    return sorted({size for slot in slots for size in slot.sizes})


def sidebar_width(slots) -> int:
    """The widest sidebar placement: the sidebar column keeps this width when its
    slot collapses, so the page beside it never moves sideways."""
    return max((slot.width for slot in slots if slot.kind == Kind.SIDEBAR), default=0)
