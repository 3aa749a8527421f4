"""Requests carrying a NUL character are turned away with a 400 at the door.

PostgreSQL's text columns cannot hold NUL (``\\x00``): a query with one in a value
raises, and the reader would get a 500. Django's forms refuse it field by field
(``ProhibitNullCharactersValidator``), but the address, the query parameters read
outside a form (listing filters, the API's ``?section=``, ``?tag=``, ``?author=``)
and the cookies reach queries as they come. No reader types a NUL, so one check on
every request covers every view, today's and tomorrow's, on both databases alike;
a view that reads its parameters through a form says so and keeps its form's
message at the field.
"""

from django.core.exceptions import SuspiciousOperation

NUL = "\x00"


class UnstorableInput(SuspiciousOperation):
    """Answered with the site's 400 page (and logged as a security event)."""


class UnstorableInputMiddleware:
    """The address and the cookies are checked before anything else; the query
    parameters once the view is known, so a view whose form reads them all
    (``view.dateline_checks_own_input = True``, the reader's search) answers with
    its form and a message at the field instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or _holds_nul(request.COOKIES):
            raise UnstorableInput("A NUL character in the address or a cookie.")
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if getattr(view, "dateline_checks_own_input", False):
            return None
        if _holds_nul(request.GET):
            raise UnstorableInput("A NUL character in the query string.")
        return None


def _holds_nul(values) -> bool:
    for name, value in _pairs(values):
        if NUL in name or NUL in value:
            return True
    return False


def _pairs(values):
    if hasattr(values, "lists"):
        for name, items in values.lists():
            for value in items:
                yield name, value
    else:
        yield from values.items()
