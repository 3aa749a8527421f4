"""The content API's shapes, as pydantic schemas: Django Ninja validates every answer
against them and generates the OpenAPI document from them, so the document cannot
drift from what the views send.

Dates are strings already in the outlet's time zone (``text.iso_datetime``), so they
are declared as strings of format ``date-time`` rather than re-serialised."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from dateline.newsroom.blocks import ArticleBodyBlock

DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
# Larger ids cannot be asked of the database.
PageId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Error(Schema):
    error: str


class FieldErrors(Schema):
    error: str
    fields: dict[str, list[str]] = Field(
        description="Each field that was refused (dotted into blocks and lists, "
        "e.g. `body.2.value.image`) with why."
    )


class Author(Schema):
    """A byline: a name and an author page, never an e-mail address."""

    model_config = {"extra": "forbid"}

    name: str
    slug: str
    title: str
    url: Url


class Section(Schema):
    id: int
    title: str
    slug: str
    url: Url


class Tag(Schema):
    name: str
    slug: str
    url: Url


class Rendition(Schema):
    url: Url
    width: int
    height: int


class Image(Schema):
    alt: str
    renditions: dict[str, Rendition]


class Block(Schema):
    type: str = Field(
        description="paragraph (value: sanitised HTML), subheading (text), "
        "blockquote, pullquote, image (value.image: renditions and alt), embed."
    )
    value: Any


class Correction(Schema):
    kind: Literal["correction", "update"]
    text: str
    published_at: DateTime


class ArticleSummary(Schema):
    id: int
    title: str
    standfirst: str
    url: Url
    api_url: Url
    language: str
    first_published_at: DateTime
    last_published_at: DateTime
    section: Section | None
    authors: list[Author]
    tags: list[Tag]


class Article(ArticleSummary):
    dateline: str
    reading_minutes: int = Field(ge=1)
    lead_image: Image | None
    body_html: str
    body: list[Block]
    corrections: list[Correction]


class ArticleList(Schema):
    results: list[ArticleSummary]
    next: Url | None


class SectionList(Schema):
    results: list[Section]


class AuthorList(Schema):
    results: list[Author]


class TagList(Schema):
    results: list[Tag]


# What integrations send and get back when they write.

BLOCK_TYPES = tuple(ArticleBodyBlock().child_blocks)


class BlockIn(Schema):
    type: Literal[BLOCK_TYPES] = Field(  # type: ignore[valid-type]
        description="A block type of the article body."
    )
    value: Any = Field(
        None,
        description="As the block stores it: paragraph, HTML (sanitised as the "
        "editor's is); subheading, text; image, `{image: id, caption, credit}`; "
        "blockquote `{quote, attribution}`; pullquote `{text, attribution}`; embed "
        "`{url, title, caption}`.",
    )
    id: str | None = None


class DraftFields(Schema):
    """Fields an integration may write; on an update, only those sent change."""

    title: str | None = Field(None, max_length=255)
    slug: str | None = Field(None, max_length=255)
    standfirst: str | None = None
    dateline_place: str | None = None
    additional_reporting: str | None = None
    language: str | None = None
    embargo_until: datetime | None = None
    authors: list[str] | None = Field(
        None,
        description="Author slugs, in order. A new draft sent without them is "
        "bylined to the token's account (its author profile, made on first use).",
    )
    tags: list[str] | None = None
    lead_image: int | None = Field(None, description="A Wagtail image id.")
    body: list[BlockIn] | None = None


class DraftCreate(DraftFields):
    section: int = Field(description="The id of the section the article goes in.")
    title: str = Field(max_length=255)


class Draft(Schema):
    id: int
    title: str
    slug: str
    status: str = Field(description="As the admin shows it: draft, live…")
    live: bool
    has_unpublished_changes: bool
    section: int | None
    standfirst: str
    dateline_place: str
    additional_reporting: str
    language: str
    embargo_until: DateTime | None
    authors: list[str]
    tags: list[str]
    lead_image: int | None
    body: list[dict[str, Any]]
    revision_id: int | None
    admin_url: Url


class ImageOut(Schema):
    id: int
    title: str
    width: int
    height: int
    file_size: int | None
