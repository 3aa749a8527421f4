"""Filters of the live page's templates."""

from django import template

from dateline.newsroom.text import plain_text, shorten

register = template.Library()


@register.filter
def ad_position(number: int, every: int) -> int:
    """The in-story ad position that entry ``number`` of the page stands in for: the
    desk's "after paragraph N" placements come after entry N, N + every, N + 2 ×
    every... so a long stream of entries has ads throughout, not only at its top."""
    return (int(number) - 1) % max(1, int(every)) + 1


@register.filter
def entry_label(entry) -> str:
    """An entry's name in the key events: its title, else its first words."""
    return entry.title or shorten(plain_text(entry.body), 90)
