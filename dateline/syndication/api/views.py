"""The content API's views: parse the query, call one read, shape it, answer JSON.

Every answer carries an ETag and a Last-Modified, so a client that asks again with
``If-None-Match`` or ``If-Modified-Since`` gets a bodiless 304 when nothing changed.
"""

from datetime import UTC
from hashlib import sha256

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import condition, require_safe

from dateline.caching.tags import versions_of
from dateline.newsroom.models import OutletSettings, SectionPage

from .. import queries as syndication_queries
from . import queries, serializers
from .schema import openapi_schema

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_AGE = 60
MAX_ID = 2**63 - 1  # larger ids cannot be asked of the database


class BadRequest(ValueError):
    """Input the API cannot read; its message is what the client is told."""


def _last_modified(request, *args, **kwargs):
    return queries.last_change()


def _etag(request, *args, **kwargs):
    # The "front" tag's version moves on every change to what the API lists
    # (embargoes lifting and unpublishing included), and never goes back.
    last = queries.last_change()
    front = versions_of(["front"])
    key = f"{front}|{last.isoformat() if last else ''}|{request.path}"
    return sha256(key.encode()).hexdigest()[:32]


def api_view(view):
    """A GET-only JSON view with validators, short public caching and JSON errors."""

    @require_safe
    @condition(etag_func=_etag, last_modified_func=_last_modified)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except BadRequest as error:
            response = error_response(str(error), 400)
        patch_cache_control(response, public=True, max_age=MAX_AGE, s_maxage=MAX_AGE)
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def error_response(message, status):
    return JsonResponse({"error": message}, status=status)


def _page_size(request):
    raw = request.GET.get("page_size", "")
    if not raw:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest("page_size must be a whole number from 1 to 100.")
    return min(int(raw), MAX_PAGE_SIZE)


def _updated_since(request):
    raw = request.GET.get("updated_since")
    if raw is None:
        return None
    try:
        when = parse_datetime(raw)
    except ValueError:
        when = None
    try:
        # Out-of-range instants (year 1 less an offset) fail here, not in the database.
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except (AttributeError, OverflowError) as error:
        raise BadRequest("updated_since must be an ISO 8601 date and time.") from error


def _cursor(request):
    raw = request.GET.get("cursor")
    if raw is None:
        return None
    try:
        return queries.decode_cursor(raw)
    except queries.BadCursor as error:
        raise BadRequest("cursor is not one this API gave out.") from error


def _next_url(request, last_article):
    params = request.GET.copy()
    params["cursor"] = queries.encode_cursor(last_article)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@api_view
def article_list(request):
    """Released articles, most recently published first, a page at a time."""
    size, cursor = _page_size(request), _cursor(request)
    articles = queries.filtered_articles(
        section=request.GET.get("section"),
        tag=request.GET.get("tag"),
        author=request.GET.get("author"),
        updated_since=_updated_since(request),
    )
    if cursor is not None:
        articles = queries.after(articles, cursor)
    page = list(articles[: size + 1])
    more, page = len(page) > size, page[:size]
    return JsonResponse(
        {
            "results": [serializers.article_summary(request, a) for a in page],
            "next": _next_url(request, page[-1]) if more else None,
        }
    )


@api_view
def article_detail(request, pk):
    """One released article; drafts, embargoed and private stories are 404."""
    article = queries.article(pk) if pk <= MAX_ID else None
    if article is None:
        return error_response("No such article.", 404)
    outlet = OutletSettings.for_request(request)
    return JsonResponse(serializers.article_detail(request, article, outlet.name))


@api_view
def section_list(request):
    sections = SectionPage.objects.live().public().order_by("path")
    results = [serializers.section(request, page) for page in sections]
    return JsonResponse({"results": results})


@api_view
def author_list(request):
    """Authors with a released article."""
    authors = syndication_queries.authors_with_articles()
    return JsonResponse({"results": [serializers.author(request, a) for a in authors]})


@api_view
def tag_list(request):
    """Tags on a released article."""
    tags = syndication_queries.tags_in_use()
    return JsonResponse({"results": [serializers.tag(request, t) for t in tags]})


@require_safe
def openapi(request):
    return JsonResponse(openapi_schema(request.build_absolute_uri("/api/v1")))


def not_found(request, *args, **kwargs):
    return error_response("Not found.", 404)
