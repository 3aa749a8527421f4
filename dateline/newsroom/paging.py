"""Pages of a newest-first listing, read without counting the listing.

Django's ``Paginator`` counts every row of the listing on each view to number the
last page. On an archive of hundreds of thousands of stories that count costs
more than the page itself, and it grows with the archive: a section's listing is
a join, so the count reads every story filed in it. A reader of a news listing
goes to newer and older stories, not to page 4,812 of 4,812, so a listing page
here reads its own rows and one more, which tells whether an older page exists,
and shows "Newer", "Page N", "Older".
"""

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext as _

from . import conf


class ListingPage(Sequence):
    """One page of a listing: the part of Django's ``Page`` the templates use
    (iteration, ``number``, ``has_previous``/``has_next`` and their numbers,
    ``has_other_pages``), without ``paginator.count`` or ``num_pages``."""

    def __init__(self, rows, number: int, per_page: int):
        self.number = number
        self.object_list = list(rows[:per_page])
        self._older = len(rows) > per_page

    def __getitem__(self, index):
        return self.object_list[index]

    def __len__(self):
        return len(self.object_list)

    def __repr__(self):
        return f"<ListingPage {self.number}>"

    def has_next(self) -> bool:
        return self._older

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value) -> int:
    """The page a reader asked for; anything that is not a positive whole number
    is the first page, as Django's ``Paginator.get_page`` treats it."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def listing_page(queryset, requested, per_page: int | None = None) -> ListingPage:
    """Page ``requested`` of ``queryset`` (already ordered), in one read of its
    rows plus one, whatever the listing's length.

    A page past the end is not found (404): without a count there is no last page
    to fall back to, and a search engine should not keep an address that lists
    nothing. The first page of an empty listing is an empty page.
    """
    per_page = per_page or conf.listing_page_size()
    number = page_number(requested)
    if number > conf.listing_max_page():
        # Each page skips the rows before it: a bound keeps a crawler's or an
        # attacker's page 10,000,000 from reading the whole archive. The section's
        # archive by month reaches stories deeper than that.
        raise Http404(_("This listing is not paged that deep."))
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        raise Http404(
            _("There is no page %(number)s of this listing.") % {"number": number}
        )
    return ListingPage(rows, number, per_page)
