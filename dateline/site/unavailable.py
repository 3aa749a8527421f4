"""A clear "back in a moment" page, not a server error, while the database is away.

Pages the caching proxy or the page cache hold keep being served; a page neither holds
needs the database, and a reader who asks for one then gets a 503 with Retry-After, so
the proxy and search engines know to come back rather than store an error.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Errors of a database that is down or unreachable, not of a query gone wrong: an
# IntegrityError or a ProgrammingError is a bug and stays a 500.
UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNREACHABLE):
            return None
        logger.error("database unavailable: %s", exception)
        # A standalone template: the site's layout reads settings from the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
