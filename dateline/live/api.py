"""The live page in the content API: ``/api/v1/live/{id}/``, the article's detail
with the coverage and the latest entries. Mounted through syndication's
``dateline_api_routers`` hook; the live page is also in ``/articles/`` as any
article is."""

from typing import Literal

from ninja import Router, Status
from ninja import Schema as NinjaSchema
from wagtail.rich_text import RichText

from dateline.newsroom.blocks import sanitise_rich_text
from dateline.newsroom.models import OutletSettings
from dateline.syndication.api import queries as api_queries
from dateline.syndication.api import schemas, serializers
from dateline.syndication.api.views import MAX_ID, read
from dateline.syndication.text import iso_datetime

from .models import LivePage
from .queries import published_entries

router = Router(tags=["read"])
API_ENTRIES = 50


class Entry(NinjaSchema):
    id: int
    url: schemas.Url
    posted_at: schemas.DateTime
    updated_at: schemas.DateTime | None
    title: str
    body_html: str
    embed_url: str
    pinned: bool
    key_event: bool
    author: schemas.Author | None


class LiveArticle(schemas.Article):
    coverage: Literal["upcoming", "live", "ended"]
    coverage_start_time: schemas.DateTime | None
    coverage_end_time: schemas.DateTime | None
    entries: list[Entry]


@read("/live/{id}/", LiveArticle, on=router, url_name="live_page")
def live_page_detail(request, id: int):
    """One released live page with its latest 50 published entries, newest first."""
    article = api_queries.article(id) if 0 < id <= MAX_ID else None
    page = LivePage.objects.filter(pk=article.pk).first() if article else None
    if page is None:
        return Status(404, {"error": "No such live page."})
    outlet = OutletSettings.for_request(request)
    entries = published_entries(page).select_related("author").order_by("-pk")
    return {
        **serializers.article_detail(request, article, outlet.name),
        "coverage": page.coverage_state(),
        "coverage_start_time": iso_datetime(page.coverage_start),
        "coverage_end_time": iso_datetime(page.coverage_end),
        "entries": [entry_data(request, page, e) for e in entries[:API_ENTRIES]],
    }


def entry_data(request, page, entry):
    return {
        "id": entry.pk,
        "url": f"{page.get_full_url(request)}#{entry.anchor}",
        "posted_at": iso_datetime(entry.posted_at),
        "updated_at": iso_datetime(entry.edited_at),
        "title": entry.title,
        "body_html": sanitise_rich_text(RichText(entry.body).__html__()),
        "embed_url": entry.embed_url,
        "pinned": entry.pinned,
        "key_event": entry.key_event,
        "author": serializers.author(request, entry.author) if entry.author else None,
    }
