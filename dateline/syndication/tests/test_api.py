"""The content API at /api/v1/: only released stories, never an e-mail address."""

import json
import re
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from dateline.newsroom.models import ArticleByline, ArticleCorrection
from dateline.syndication.api.api import openapi_document
from dateline.testing.factories import (
    make_article,
    make_author,
    make_image,
    make_section,
)

from .helpers import age

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def newsroom(db, outlet):
    world = make_section("World")
    author = make_author("Amina Khan", email="amina@newsroom.example")
    image = make_image("Flooded valley")
    body = [
        {
            "type": "paragraph",
            "value": '<p>Rain <b>fell</b> <a href="https://x.example">here</a></p>',
        },
        {"type": "subheading", "value": "Aftermath"},
        {
            "type": "image",
            "value": {"image": image.pk, "caption": "Water", "credit": "AP"},
        },
    ]
    story = make_article(
        world,
        title="Floods",
        authors=[author],
        body=body,
        tags=["weather"],
        lead_image=image,
    )
    ArticleCorrection.objects.create(
        page=story, kind="correction", text="Fixed a name."
    )
    draft = make_article(world, title="Draft", publish=False)
    embargoed = make_article(
        world, title="Embargoed", embargo_until=timezone.now() + timedelta(days=1)
    )
    return {
        "world": world,
        "author": author,
        "story": story,
        "draft": draft,
        "embargoed": embargoed,
    }


def test_article_detail(client, newsroom):
    story = newsroom["story"]
    data = client.get(f"/api/v1/articles/{story.pk}/").json()
    assert data["title"] == "Floods"
    assert data["dateline"] == "Islamabad (The Dateline Gazette)"
    assert data["authors"] == [
        {
            "name": "Amina Khan",
            "slug": "amina-khan",
            "title": "",
            "url": "http://localhost/authors/amina-khan/",
        }
    ]
    assert data["section"]["slug"] == "world"
    assert [t["slug"] for t in data["tags"]] == ["weather"]
    assert [b["type"] for b in data["body"]] == ["paragraph", "subheading", "image"]
    assert (
        data["body"][0]["value"]
        == '<p>Rain <b>fell</b> <a href="https://x.example">here</a></p>'
    )
    picture = data["body"][2]["value"]["image"]
    assert picture["alt"] == "Flooded valley"
    assert picture["renditions"]["width-600"]["url"].startswith(
        "http://localhost/media/"
    )
    assert data["lead_image"]["renditions"]["fill-1200x675"]["width"] == 1200
    assert "<h2" in data["body_html"]
    assert data["corrections"][0]["kind"] == "correction"
    assert data["corrections"][0]["text"] == "Fixed a name."
    assert data["reading_minutes"] >= 1


@pytest.mark.parametrize("which", ["draft", "embargoed"])
def test_unreleased_articles_are_404_and_unlisted(client, newsroom, which):
    article = newsroom[which]
    response = client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 404
    assert response.json() == {"error": "No such article."}
    listed = client.get("/api/v1/articles/").json()["results"]
    assert article.pk not in [a["id"] for a in listed]


def test_filters(client, newsroom):
    make_article(make_section("Sport"), title="Cup final")

    def titles(query):
        return [
            a["title"]
            for a in client.get(f"/api/v1/articles/?{query}").json()["results"]
        ]

    assert titles("section=world") == ["Floods"]
    assert titles("section=sport") == ["Cup final"]
    assert titles("tag=weather") == ["Floods"]
    assert titles("author=amina-khan") == ["Floods"]
    assert titles("section=nowhere") == []
    age(newsroom["story"], hours=48)
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    assert titles("updated_since=" + since.replace("+", "%2B")) == ["Cup final"]


def test_cursor_pagination_walks_every_article_once(client, newsroom):
    for number in range(4):
        make_article(newsroom["world"], title=f"Extra {number}")
    seen, url = [], "/api/v1/articles/?page_size=2"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        seen += [a["id"] for a in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    "query",
    [
        "updated_since=yesterday",
        "updated_since=2026-13-45T00:00",
        "cursor=abc",
        "page_size=ten",
        "page_size=0",
    ],
)
def test_bad_input_is_400_json(client, newsroom, query):
    response = client.get(f"/api/v1/articles/?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_an_empty_page_size_means_the_default(client, newsroom):
    for number in range(21):
        make_article(newsroom["world"], title=f"Extra {number}")
    page = client.get("/api/v1/articles/?page_size=").json()
    assert len(page["results"]) == 20 and page["next"]


def test_page_size_is_capped(client, newsroom):
    assert client.get("/api/v1/articles/?page_size=1000").status_code == 200


def test_unknown_address_is_404_json(client, db):
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


def test_conditional_get(client, newsroom, django_capture_on_commit_callbacks):
    first = client.get("/api/v1/articles/")
    assert (
        "public" in first["Cache-Control"] and "s-maxage=60" in first["Cache-Control"]
    )
    assert first.has_header("Last-Modified")
    again = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(
        "/api/v1/articles/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert since.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        make_article(newsroom["world"], title="Later")
    changed = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_head_answers_as_get_without_a_body(client, newsroom):
    response = client.head("/api/v1/articles/")
    assert response.status_code == 200
    assert response["ETag"] == client.get("/api/v1/articles/")["ETag"]
    assert response.content == b""


def test_no_email_address_anywhere(client, newsroom):
    """Crawl every list, then every article they name: no e-mail address at all."""
    bodies = [
        client.get(f"/api/v1/{name}/").content.decode()
        for name in ("sections", "authors", "tags")
    ]
    url = "/api/v1/articles/?page_size=1"
    while url:
        response = client.get(url)
        bodies.append(response.content.decode())
        for item in response.json()["results"]:
            bodies.append(client.get(item["api_url"]).content.decode())
        url = response.json()["next"]
    assert bodies and all(not EMAIL.search(body) for body in bodies)
    assert "amina@newsroom.example" not in "".join(bodies)


def test_author_tag_and_section_lists(client, newsroom):
    authors = client.get("/api/v1/authors/").json()["results"]
    assert {
        "name": "Amina Khan",
        "slug": "amina-khan",
        "title": "",
        "url": "http://localhost/authors/amina-khan/",
    } in authors
    assert [t["slug"] for t in client.get("/api/v1/tags/").json()["results"]] == [
        "weather"
    ]
    assert [s["slug"] for s in client.get("/api/v1/sections/").json()["results"]] == [
        "world"
    ]


def test_openapi_document_is_generated_with_every_endpoint(client, db):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "/api/v1"}]
    assert {
        "/articles/",
        "/articles/{id}/",
        "/sections/",
        "/authors/",
        "/tags/",
        "/drafts/",
        "/drafts/{id}/",
        "/drafts/{id}/submit/",
        "/images/",
        "/live/{id}/",  # the live app's, through the dateline_api_routers hook
    } == set(document["paths"])
    author = document["components"]["schemas"]["Author"]
    assert author["additionalProperties"] is False  # never an e-mail address


# Generated by the same function that serves /api/v1/openapi.json; requests go to
# Django's WSGI handler in-process, inside the test's database transaction.
schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = WSGIHandler()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, newsroom, keep_test_connection):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/",
        "/api/v1/sections/",
        "/api/v1/authors/",
        "/api/v1/tags/",
    ],
)
def test_lists_cost_the_same_queries_for_more_items(
    client, newsroom, path, django_assert_num_queries
):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    queries()
    baseline = queries()
    for number in range(6):
        section = make_section(f"Region {number}")
        make_article(
            section,
            authors=[make_author(f"Correspondent {number}")],
            tags=[f"topic-{number}", "weather"],
            lead_image=make_image(f"Picture {number}"),
        )
    queries()  # new images make their renditions once
    with django_assert_num_queries(baseline):
        response = client.get(path)
    assert len(response.json()["results"]) >= 6


def test_article_detail_queries_do_not_grow_with_its_bylines_and_tags(
    client, newsroom, django_assert_num_queries
):
    story = newsroom["story"]
    url = f"/api/v1/articles/{story.pk}/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    baseline = len(captured.captured_queries)  # the log empties at the next request
    for name in ("Second Writer", "Third Writer"):
        ArticleByline.objects.create(page=story, author=make_author(name))
    story.tags.add("rain", "rivers", "relief")
    story.save()
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert len(response.json()["authors"]) == 3


def test_user_typed_text_is_escaped_in_the_html_fields(client, outlet):
    """Plain text typed into any block comes out of ``body_html`` and the paragraph
    HTML as text, never as markup."""
    from .helpers import HOSTILE

    image = make_image("Picture")
    body = [
        {"type": "paragraph", "value": "<p>" + HOSTILE.replace("<", "&lt;") + "</p>"},
        {"type": "subheading", "value": HOSTILE},
        {"type": "blockquote", "value": {"quote": HOSTILE, "attribution": HOSTILE}},
        {"type": "pullquote", "value": {"text": HOSTILE, "attribution": HOSTILE}},
        {
            "type": "embed",
            "value": {
                "url": "https://v.example/1",
                "title": HOSTILE,
                "caption": HOSTILE,
            },
        },
        {
            "type": "image",
            "value": {"image": image.pk, "caption": HOSTILE, "credit": HOSTILE},
        },
    ]
    story = make_article(make_section("World"), title=HOSTILE, body=body)
    data = client.get(f"/api/v1/articles/{story.pk}/").json()
    html = data["body_html"] + data["body"][0]["value"]
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 11
