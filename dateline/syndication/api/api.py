"""The content API as one Django Ninja application, mounted at ``/api/v1/``.

Built the way Wagtail's own v3 API is (``wagtail.api.v3``: Django Ninja, bearer
tokens from ``wagtail.models.APIToken``) but as an API of its own rather than routes
added to Wagtail's: version 1's clients already read ``{"error": ...}`` answers,
cursor pages of ``results``/``next`` and articles in our shape, and Wagtail's page
listing would show embargoed stories (see docs/syndication.md, 2026-12-03).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from wagtail import hooks

from . import errors, views, writes

ROUTERS_HOOK = "dateline_api_routers"


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Paths relative to a server entry, as version 1's document always had them.
        root = self.get_root_path(path_params or {})
        document = super().get_openapi_schema(path_prefix="", path_params=path_params)
        document["servers"] = [{"url": root.rstrip("/")}]
        return document

    def get_openapi_operation_id(self, operation):
        return operation.view_func.__name__  # names are unique across the API


api = ContentAPI(
    title="Dateline content API",
    version="1",
    description="Released articles, sections, authors and tags to read; drafts, "
    "images and submissions for review for integrations holding a token.",
    urls_namespace="syndication:api_v1",
    # Swagger UI would load its scripts from a CDN: the document is enough.
    docs_url=None,
)
api.add_router("/", views.router)
api.add_router("/", writes.router)
# Apps above syndication add routes of their own (the live app's live pages): each
# function of this Wagtail hook returns a Ninja router, mounted at the API's root.
for routes in hooks.get_hooks(ROUTERS_HOOK):
    api.add_router("/", routes())


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    return errors.invalid_input(request, exc.errors)


@api.exception_handler(HttpError)
def http_error(request, exc):
    # Ninja adds Retry-After to a Throttled answer itself.
    response = JsonResponse({"error": exc.message}, status=exc.status_code)
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return JsonResponse({"error": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    message = str(exc) or "This token's account may not do that."
    return JsonResponse({"error": message}, status=403)


@api.exception_handler(errors.FieldErrors)
def refused(request, exc):
    return JsonResponse({"error": exc.message, "fields": exc.fields}, status=exc.status)


def openapi_document():
    """The generated OpenAPI document, as served at ``/api/v1/openapi.json``."""
    return api.get_openapi_schema()
