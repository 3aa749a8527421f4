"""Writes through the content API: integration tokens with scopes, drafts through the
editor's form and the newsroom's actions, review, images, refusals and rate limits."""

import json
from io import BytesIO

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from PIL import Image as PILImage
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, PageLogEntry

from dateline.newsroom.models import ArticlePage
from dateline.syndication.api.api import openapi_document
from dateline.syndication.tokens import Scope, TokenAccess, create_integration_token
from dateline.testing.factories import make_article, make_author, make_section

ALL_SCOPES = [scope.value for scope in Scope]


@pytest.fixture
def desk(db, django_user_model, outlet):
    """A wire-desk integration acting as a Contributor account."""
    account = django_user_model.objects.create_user("wire-desk", password="x")
    account.groups.add(Group.objects.get(name="Contributors"))
    token, secret = create_integration_token(
        user=account, name="Wire", integration="Wire desk importer", scopes=ALL_SCOPES
    )
    return {
        "account": account,
        "token": token,
        "secret": secret,
        "section": make_section("World"),
        "author": make_author("Amina Khan"),
    }


def call(client, method, url, secret, body=None, **extra):
    if secret:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    if body is not None and not isinstance(body, str | bytes):
        body = json.dumps(body)
    return getattr(client, method)(url, body, content_type="application/json", **extra)


def draft_body(desk, **fields):
    return {
        "section": desk["section"].pk,
        "title": "Floods reach the capital",
        "standfirst": "Rivers rose overnight.",
        "authors": [desk["author"].slug],
        "tags": ["weather", "floods"],
        "body": [
            {
                "type": "paragraph",
                "value": '<p onclick="x()">Water <b>rose</b><script>alert(1)</script>'
                '<a href="javascript:alert(1)">here</a></p>',
            },
            {"type": "subheading", "value": "Aftermath"},
        ],
        **fields,
    }


def history(page, action):
    return PageLogEntry.objects.filter(page=page, action=action)


def test_integration_creates_a_draft_as_the_editor_would(client, desk):
    response = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    assert response.status_code == 201, response.content
    data = response.json()
    article = ArticlePage.objects.get(pk=data["id"])
    assert not article.live and data["live"] is False
    assert data["authors"] == ["amina-khan"] and data["tags"] == ["floods", "weather"]
    assert data["slug"] == "floods-reach-the-capital"
    assert article.get_parent().pk == desk["section"].pk
    paragraph = data["body"][0]["value"]
    assert "<b>rose</b>" in paragraph
    assert "script" not in paragraph and "onclick" not in paragraph
    assert "javascript" not in paragraph
    revision = article.get_latest_revision()
    assert revision.user == desk["account"]
    assert history(article, "wagtail.create").get().user == desk["account"]
    entry = history(article, "dateline.content_api").get()
    assert entry.data["integration"] == "Wire desk importer"
    assert entry.data["operation"] == "create"
    assert "Wire desk importer" in entry.message
    listed = client.get("/api/v1/articles/").json()["results"]
    assert article.pk not in [item["id"] for item in listed]
    assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 404


def test_a_draft_sent_without_authors_is_bylined_to_its_writer(client, desk):
    desk["account"].first_name, desk["account"].last_name = "Wire", "Desk"
    desk["account"].save()
    body = draft_body(desk)
    del body["authors"]
    response = call(client, "post", "/api/v1/drafts/", desk["secret"], body)
    assert response.status_code == 201, response.content
    assert response.json()["authors"] == ["wire-desk"]
    article = ArticlePage.objects.get(pk=response.json()["id"])
    byline = article.get_latest_revision_as_object().bylines.get()
    assert byline.author.user == desk["account"] and byline.author.name == "Wire Desk"
    again = call(
        client, "post", "/api/v1/drafts/", desk["secret"], body | {"title": "B"}
    )
    assert again.json()["authors"] == ["wire-desk"]  # the same profile, not a second


def test_update_changes_only_the_fields_sent(client, desk):
    created = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    url = f"/api/v1/drafts/{created.json()['id']}/"
    response = call(client, "patch", url, desk["secret"], {"title": "Floods recede"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "Floods recede"
    assert data["standfirst"] == "Rivers rose overnight."
    assert data["authors"] == ["amina-khan"]
    assert len(data["body"]) == 2
    article = ArticlePage.objects.get(pk=data["id"])
    assert article.revisions.count() == 2
    assert (
        history(article, "dateline.content_api")
        .filter(data__operation="update")
        .exists()
    )
    assert call(client, "get", url, desk["secret"]).json()["title"] == "Floods recede"


def test_updating_a_live_article_leaves_readers_the_published_story(client, desk):
    story = make_article(desk["section"], title="Published title", authors=[])
    story.bylines.create(author=desk["author"])
    desk["account"].groups.add(Group.objects.get(name="Editors"))
    url = f"/api/v1/drafts/{story.pk}/"
    response = call(client, "patch", url, desk["secret"], {"title": "Draft title"})
    assert response.status_code == 200, response.content
    assert response.json()["has_unpublished_changes"] is True
    public = client.get(f"/api/v1/articles/{story.pk}/").json()
    assert public["title"] == "Published title"


def test_submit_for_review_starts_the_editor_review_workflow(client, desk):
    created = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    article_id = created.json()["id"]
    url = f"/api/v1/drafts/{article_id}/submit/"
    response = call(client, "post", url, desk["secret"])
    assert response.status_code == 200, response.content
    article = ArticlePage.objects.get(pk=article_id)
    assert article.current_workflow_state.status == "in_progress"
    assert history(article, "wagtail.workflow.start").exists()
    assert (
        history(article, "dateline.content_api")
        .filter(data__operation="submit")
        .exists()
    )
    again = call(client, "post", url, desk["secret"])
    assert again.status_code == 409
    assert "already in review" in again.json()["error"]


def jpeg(size=(64, 48)):
    buffer = BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "photo.jpg"
    return buffer


def upload(client, secret, file, **fields):
    return client.post(
        "/api/v1/images/",
        {"file": file, **fields},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def test_image_upload_becomes_a_wagtail_image_usable_in_a_draft(client, desk):
    response = upload(client, desk["secret"], jpeg(), title="Flood", alt="A street")
    assert response.status_code == 201, response.content
    image = get_image_model().objects.get(pk=response.json()["id"])
    assert (image.title, image.description, image.width) == ("Flood", "A street", 64)
    assert image.uploaded_by_user == desk["account"]
    assert ModelLogEntry.objects.filter(
        object_id=str(image.pk), action="dateline.content_api"
    ).exists()
    body = draft_body(desk, lead_image=image.pk)
    body["body"].append(
        {"type": "image", "value": {"image": image.pk, "caption": "Water"}}
    )
    created = call(client, "post", "/api/v1/drafts/", desk["secret"], body)
    assert created.status_code == 201, created.content
    assert created.json()["lead_image"] == image.pk


def test_image_upload_refuses_what_is_not_an_image(client, desk):
    text = BytesIO(b"not a picture at all")
    text.name = "notes.jpg"
    response = upload(client, desk["secret"], text)
    assert response.status_code == 422
    assert "file" in response.json()["fields"]
    assert not get_image_model().objects.exists()


def test_image_upload_refuses_an_oversized_file(client, desk, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 500
    response = upload(client, desk["secret"], jpeg(size=(400, 400)))
    assert response.status_code == 422
    assert "file" in response.json()["fields"]


def test_image_upload_without_a_file_names_the_field(client, desk):
    response = client.post(
        "/api/v1/images/",
        {"title": "Nothing"},
        HTTP_AUTHORIZATION=f"Bearer {desk['secret']}",
    )
    assert response.status_code == 422
    assert "file" in response.json()["fields"]


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda body: body.pop("title"), "title"),
        (lambda body: body.update(title=5), "title"),
        (lambda body: body.update(title=""), "title"),
        (lambda body: body.update(section="world"), "section"),
        (lambda body: body.update(section=999999), "section"),
        (lambda body: body.update(authors=["nobody"]), "authors.0"),
        (lambda body: body.update(authors="amina-khan"), "authors"),
        (lambda body: body.update(tags=[{"x": 1}]), "tags.0"),
        (lambda body: body.update(language="xx"), "language"),
        (lambda body: body.update(lead_image=999999), "lead_image"),
        (lambda body: body.update(embargo_until="soon"), "embargo_until"),
        (lambda body: body.update(body={"type": "paragraph"}), "body"),
        (
            lambda body: body.update(body=[{"type": "marquee", "value": "x"}]),
            "body.0.type",
        ),
        (lambda body: body.update(body=[{"value": "x"}]), "body.0.type"),
        (lambda body: body.update(body=[{"type": "image", "value": "x"}]), "body"),
        (
            lambda body: body.update(body=[{"type": "paragraph", "value": {"a": 1}}]),
            "body",
        ),
        (
            lambda body: body.update(body=[{"type": "subheading", "value": "x" * 300}]),
            "body.0.value",
        ),
        (
            lambda body: body.update(
                body=[{"type": "image", "value": {"image": 999999}}]
            ),
            "body.0.value.image",
        ),
        (
            lambda body: body.update(
                body=[{"type": "embed", "value": {"url": "nope"}}]
            ),
            "body.0.value.url",
        ),
    ],
)
def test_bad_draft_input_is_422_naming_the_field(client, desk, mutate, field):
    body = draft_body(desk)
    mutate(body)
    response = call(client, "post", "/api/v1/drafts/", desk["secret"], body)
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"], response.json()
    assert not ArticlePage.objects.filter(title="Floods reach the capital").exists()


@pytest.mark.parametrize(
    "raw", ["", "not json", "[1, 2]", "null", '{"title": ', "\x00\xff", "42"]
)
def test_junk_bodies_are_refused_as_json(client, desk, raw):
    response = call(client, "post", "/api/v1/drafts/", desk["secret"], raw)
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_a_wrong_type_on_update_names_the_field(client, desk):
    created = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    url = f"/api/v1/drafts/{created.json()['id']}/"
    response = call(client, "patch", url, desk["secret"], {"tags": "weather"})
    assert response.status_code == 422
    assert "tags" in response.json()["fields"]
    empty = call(client, "patch", url, desk["secret"], {})
    assert empty.status_code == 422


@pytest.mark.parametrize("secret", [None, "wagtail_not-a-real-token", "garbage"])
def test_writes_without_a_working_token_are_401_json(client, desk, secret):
    response = call(client, "post", "/api/v1/drafts/", secret, draft_body(desk))
    assert response.status_code == 401
    assert response.json() == {"error": "Unauthorized"}
    assert not ArticlePage.objects.exists()


def test_a_revoked_token_stops_working_at_once(client, desk):
    assert call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    desk["token"].revoke()
    response = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    assert response.status_code == 401


def test_a_token_without_the_scope_is_403_json(client, desk):
    TokenAccess.objects.filter(token=desk["token"]).update(scopes=["images:write"])
    response = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    assert response.status_code == 403
    assert "articles:write" in response.json()["error"]
    draft = make_article(desk["section"], title="Private draft", publish=False)
    read = call(client, "get", f"/api/v1/drafts/{draft.pk}/", desk["secret"])
    assert read.status_code == 403


def test_the_account_behind_the_token_must_be_allowed_too(client, desk):
    desk["account"].groups.clear()
    response = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    assert response.status_code == 403
    assert not ArticlePage.objects.exists()
    other = make_article(desk["section"], title="Someone else's", publish=False)
    read = call(client, "get", f"/api/v1/drafts/{other.pk}/", desk["secret"])
    assert read.status_code == 404


def test_writes_are_rate_limited_per_token(client, desk, settings):
    settings.DATELINE_API_WRITE_RATE = (2, 60)
    statuses = [
        call(
            client,
            "post",
            "/api/v1/drafts/",
            desk["secret"],
            draft_body(desk, slug=f"s{n}"),
        )
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [201, 201, 429]
    assert statuses[-1].json() == {"error": "Too many requests."}
    assert int(statuses[-1]["Retry-After"]) >= 1
    assert ArticlePage.objects.count() == 2


def test_a_draft_read_with_a_token_is_never_cached_for_the_next_client(
    client, desk, settings
):
    settings.DATELINE_PAGE_CACHE = True
    draft = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    url = f"/api/v1/drafts/{draft.json()['id']}/"
    read = call(client, "get", url, desk["secret"])
    assert read.status_code == 200
    assert "no-store" in read["Cache-Control"] and "private" in read["Cache-Control"]
    anonymous = client.get(url)
    assert anonymous.status_code == 401
    assert "Floods" not in anonymous.content.decode()


def test_writes_need_no_csrf_token_but_a_bearer_token(desk):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = call(strict, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    assert response.status_code == 201
    assert (
        call(strict, "post", "/api/v1/drafts/", None, draft_body(desk)).status_code
        == 401
    )


def test_tokens_are_created_with_scopes_and_revoked_in_the_admin(
    client, desk, admin_user
):
    client.force_login(admin_user)
    response = client.post(
        "/admin/api-tokens/new/",
        {
            "name": "Agency feed",
            "integration": "Agency wire",
            "user": desk["account"].pk,
            "scopes": ["articles:write"],
        },
    )
    assert response.status_code == 200
    secret = response.context["token"]
    assert secret in response.content.decode()
    access = TokenAccess.objects.get(integration="Agency wire")
    assert access.scopes == ["articles:write"]
    assert access.token.key_hash != secret and secret not in access.token.key_hash
    index = client.get("/admin/api-tokens/").content.decode()
    assert "Agency wire" in index and "articles:write" in index
    client.logout()
    made = call(client, "post", "/api/v1/drafts/", secret, draft_body(desk))
    assert made.status_code == 201, made.content
    client.force_login(admin_user)
    client.post(f"/admin/api-tokens/delete/{access.token.pk}/")
    client.logout()
    again = call(client, "post", "/api/v1/drafts/", secret, draft_body(desk, slug="x"))
    assert again.status_code == 401


# The write operations of the generated document, called with a token holding every
# scope: whatever schemathesis sends, the answer is never a 500 and always matches
# the document.
write_schema = schemathesis.openapi.from_dict(openapi_document()).include(tag="write")
write_schema.app = WSGIHandler()


@write_schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_writes_conform_to_the_schema_whatever_is_sent(
    case, desk, keep_test_connection
):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {desk['secret']}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_scopes_changed_in_the_admin_apply_to_the_next_request(
    client, desk, admin_user
):
    client.force_login(admin_user)
    url = f"/admin/api-tokens/edit/{desk['token'].pk}/"
    form = client.get(url).content.decode()
    assert "Wire desk importer" in form
    response = client.post(
        url, {"name": "Wire", "integration": "Wire desk", "scopes": ["images:write"]}
    )
    assert response.status_code == 302
    client.logout()
    refused = call(client, "post", "/api/v1/drafts/", desk["secret"], draft_body(desk))
    assert refused.status_code == 403
    assert TokenAccess.objects.get(token=desk["token"]).integration == "Wire desk"
