"""The OpenAPI 3.0 description of ``/api/v1/``, written by hand so that it says
exactly what the views promise (and the schemathesis test holds them to it)."""

NULLABLE_STRING = {"type": "string", "nullable": True}
DATETIME = {"type": "string", "format": "date-time"}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties, nullable=False):
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
    }
    return {**schema, "nullable": True} if nullable else schema


def _list_of(name, paginated=False):
    properties = {"results": {"type": "array", "items": _ref(name)}}
    if paginated:
        properties["next"] = {**NULLABLE_STRING, "format": "uri"}
    return _object(properties)


def _json(schema, description):
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _query(name, description, schema=None):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


ERRORS = {
    "400": _json(_ref("Error"), "The query could not be read."),
    "404": _json(_ref("Error"), "Nothing released at this address."),
}
CONDITIONAL = {"304": {"description": "Not modified since the client's copy."}}

IMAGE = _object(
    {
        "alt": {"type": "string"},
        "renditions": {
            "type": "object",
            "additionalProperties": _object(
                {
                    "url": {"type": "string", "format": "uri"},
                    "width": {"type": "integer"},
                    "height": {"type": "integer"},
                }
            ),
        },
    },
    nullable=True,
)

SUMMARY_PROPERTIES = {
    "id": {"type": "integer"},
    "title": {"type": "string"},
    "standfirst": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "api_url": {"type": "string", "format": "uri"},
    "language": {"type": "string"},
    "first_published_at": DATETIME,
    "last_published_at": DATETIME,
    "section": {**_ref("Section"), "nullable": True},
    "authors": {"type": "array", "items": _ref("Author")},
    "tags": {"type": "array", "items": _ref("Tag")},
}

BLOCK = _object(
    {
        "type": {
            "type": "string",
            "description": "paragraph (value: sanitised HTML), subheading (text), "
            "blockquote, pullquote, image (value.image: renditions and alt), embed.",
        },
        "value": {},
    }
)

SCHEMAS = {
    "Error": _object({"error": {"type": "string"}}),
    "Author": {
        **_object(
            {
                "name": {"type": "string"},
                "slug": {"type": "string"},
                "title": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            }
        ),
        "additionalProperties": False,  # never an e-mail address
    },
    "Section": _object(
        {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "slug": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        }
    ),
    "Tag": _object(
        {
            "name": {"type": "string"},
            "slug": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        }
    ),
    "Image": IMAGE,
    "Block": BLOCK,
    "Correction": _object(
        {
            "kind": {"type": "string", "enum": ["correction", "update"]},
            "text": {"type": "string"},
            "published_at": DATETIME,
        }
    ),
    "ArticleSummary": _object(SUMMARY_PROPERTIES),
    "Article": _object(
        {
            **SUMMARY_PROPERTIES,
            "dateline": {"type": "string"},
            "reading_minutes": {"type": "integer", "minimum": 1},
            "lead_image": _ref("Image"),
            "body_html": {"type": "string"},
            "body": {"type": "array", "items": _ref("Block")},
            "corrections": {"type": "array", "items": _ref("Correction")},
        }
    ),
    "ArticleList": _list_of("ArticleSummary", paginated=True),
    "SectionList": _list_of("Section"),
    "AuthorList": _list_of("Author"),
    "TagList": _list_of("Tag"),
}

ARTICLE_FILTERS = [
    _query("section", "Slug of a section: its articles and its subsections'."),
    _query("tag", "Slug of a tag."),
    _query("author", "Slug of an author."),
    _query(
        "updated_since",
        "Only articles published or republished at or after this ISO 8601 "
        "date and time (UTC when it has no offset).",
        {"type": "string", "format": "date-time"},
    ),
    _query("cursor", "The position the previous page's `next` link carries."),
    _query(
        "page_size",
        "Articles per page, 20 unless given; more than 100 is read as 100.",
        {"type": "integer", "minimum": 1},
    ),
]


def _get(summary, schema_name, parameters=(), errors=("404",)):
    responses = {"200": _json(_ref(schema_name), summary), **CONDITIONAL}
    responses.update((code, ERRORS[code]) for code in errors)
    return {
        "get": {
            "summary": summary,
            "parameters": list(parameters),
            "responses": responses,
        }
    }


def openapi_schema(server_url: str) -> dict:
    """The whole document, naming ``server_url`` as where the API lives."""
    article_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Dateline content API",
            "version": "1",
            "description": "Released articles, sections, authors and tags, read-only.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/articles/": _get(
                "Released articles, newest first.",
                "ArticleList",
                ARTICLE_FILTERS,
                errors=("400",),
            ),
            "/articles/{id}/": _get("One released article.", "Article", [article_id]),
            "/sections/": _get("Live sections.", "SectionList", errors=()),
            "/authors/": _get(
                "Authors with a released article.", "AuthorList", errors=()
            ),
            "/tags/": _get("Tags on a released article.", "TagList", errors=()),
        },
        "components": {"schemas": SCHEMAS},
    }
