"""A request's own memo of values read from the shared cache (the content version,
the ads inventory version), so a page asks Redis for each once rather than once per
fragment (``dateline.caching.versions.per_request``)."""

from dateline.caching.versions import request_scope


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
