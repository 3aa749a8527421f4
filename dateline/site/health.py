"""``/healthz``: is this process serving? What a load balancer's probe asks.

It answers before any other middleware, so the answer costs no database query, no
cache lookup, no host check and no HTTPS redirect (a proxy's probe speaks plain HTTP
to the node's own address). It says only that the process takes requests: a node
whose database is down still answers 200, because every node shares that database,
and marking them all sick would stop the proxy from passing a comment through to the
app's own "not saved yet" page; the proxy serves stored pages in grace meanwhile.
"""

from django.http import HttpResponse

PATH = "/healthz"


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            response = HttpResponse("ok\n", content_type="text/plain")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
