"""The content API's reads: parse the query, call one read, shape it, answer JSON.

Every answer carries an ETag and a Last-Modified, so a client that asks again with
``If-None-Match`` or ``If-Modified-Since`` gets a bodiless 304 when nothing changed.
"""

from datetime import UTC, datetime
from functools import wraps
from hashlib import sha256
from typing import Annotated, TypeVar

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import BeforeValidator

from dateline.caching.tags import versions_of
from dateline.newsroom.models import OutletSettings, SectionPage

from .. import queries as syndication_queries
from . import queries, schemas, serializers

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_AGE = 60
MAX_ID = 2**63 - 1  # larger ids cannot be asked of the database
T = TypeVar("T")

router = Router(tags=["read"])


# ``?page_size=`` with nothing after it means "the default", as it always has.
def _empty_is_none(value):
    return None if value == "" else value


EmptyIsNone = Annotated[T | None, BeforeValidator(_empty_is_none)]


def _last_modified(request, *args, **kwargs):
    return queries.last_change()


def _etag(request, *args, **kwargs):
    # The "front" tag's version moves on every change to what the API lists
    # (embargoes lifting and unpublishing included), and never goes back.
    last = queries.last_change()
    front = versions_of(["front"])
    key = f"{front}|{last.isoformat() if last else ''}|{request.path}"
    return sha256(key.encode()).hexdigest()[:32]


def _public_cache(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=MAX_AGE, s_maxage=MAX_AGE)
        return response

    return wrapper


def read(path, response, *, on=router, **options):
    """A GET operation with validators, short public caching and JSON errors, on
    the router ``on`` (this module's, or an app's that adds routes to the API)."""
    responses = {200: response, 304: None, 400: schemas.Error, 404: schemas.Error}

    def register(view):
        view = decorate_view(
            _public_cache, condition(etag_func=_etag, last_modified_func=_last_modified)
        )(view)
        # HEAD answers as GET does, without a second entry in the document.
        on.api_operation(["HEAD"], path, response=responses, include_in_schema=False)(
            view
        )
        return on.get(path, response=responses, **options)(view)

    return register


def _updated_since(when: datetime | None):
    if when is None:
        return None
    try:
        # Out-of-range instants (year 1 less an offset) fail here, not in the database.
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError as error:
        message = "updated_since must be an ISO 8601 date and time."
        raise HttpError(400, message) from error


def _cursor(raw: str | None):
    if raw is None:
        return None
    try:
        return queries.decode_cursor(raw)
    except queries.BadCursor as error:
        raise HttpError(400, "cursor is not one this API gave out.") from error


def _next_url(request, last_article):
    params = request.GET.copy()
    params["cursor"] = queries.encode_cursor(last_article)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@read("/articles/", schemas.ArticleList, url_name="articles")
def article_list(
    request,
    section: str | None = Query(
        None, description="Slug of a section: its articles and its subsections'."
    ),
    tag: str | None = Query(None, description="Slug of a tag."),
    author: str | None = Query(None, description="Slug of an author."),
    updated_since: datetime | None = Query(  # noqa: B008 - how Ninja declares it
        None,
        description="Only articles published or republished at or after this "
        "ISO 8601 date and time (UTC when it has no offset).",
    ),
    cursor: str | None = Query(
        None, description="The position the previous page's `next` link carries."
    ),
    page_size: EmptyIsNone[int] = Query(  # noqa: B008 - how Ninja declares it
        None,
        ge=1,
        description="Articles per page, 20 unless given; more than 100 is read as 100.",
    ),
):
    """Released articles, most recently published first, a page at a time."""
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    position = _cursor(cursor)
    articles = queries.filtered_articles(
        section=section,
        tag=tag,
        author=author,
        updated_since=_updated_since(updated_since),
    )
    if position is not None:
        articles = queries.after(articles, position)
    page = list(articles[: size + 1])
    more, page = len(page) > size, page[:size]
    return {
        "results": [serializers.article_summary(request, a) for a in page],
        "next": _next_url(request, page[-1]) if more else None,
    }


@read("/articles/{id}/", schemas.Article, url_name="article")
def article_detail(request, id: int):
    """One released article; drafts, embargoed and private stories are 404."""
    article = queries.article(id) if 0 < id <= MAX_ID else None
    if article is None:
        return Status(404, {"error": "No such article."})
    outlet = OutletSettings.for_request(request)
    return serializers.article_detail(request, article, outlet.name)


@read("/sections/", schemas.SectionList, url_name="sections")
def section_list(request):
    """Live sections."""
    sections = SectionPage.objects.live().public().order_by("path")
    return {"results": [serializers.section(request, page) for page in sections]}


@read("/authors/", schemas.AuthorList, url_name="authors")
def author_list(request):
    """Authors with a released article."""
    authors = syndication_queries.authors_with_articles()
    return {"results": [serializers.author(request, a) for a in authors]}


@read("/tags/", schemas.TagList, url_name="tags")
def tag_list(request):
    """Tags on a released article."""
    tags = syndication_queries.tags_in_use()
    return {"results": [serializers.tag(request, t) for t in tags]}


def not_found(request, *args, **kwargs):
    return JsonResponse({"error": "Not found."}, status=404)
