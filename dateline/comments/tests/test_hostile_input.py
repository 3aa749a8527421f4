"""Every public write answers hostile input with a 4xx and a clear message."""

import xml.etree.ElementTree as ET

import pytest

from dateline.comments.models import Comment
from dateline.testing.factories import make_article, make_comment

from .helpers import VALID, aged_ticket, form_error, post, rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Budget")


def raw_post(client, article, body: bytes, content_type):
    return client.generic(
        "POST", f"/comments/{article.pk}/post/", body, content_type=content_type
    )


def test_invalid_utf8_is_a_clear_400_or_cleaned(client, article):
    body = b"name=\xff\xfe&email=a%40b.example&body=ok%20\xc3\x28"
    response = raw_post(client, article, body, "application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    for comment in Comment.objects.all():
        assert "\ufffd" in comment.name or comment.name


def test_misdeclared_encoding_does_not_break(client, article):
    body = "name=Zoë&email=z%40r.example&body=Hello".encode("latin-1")
    for charset in ["utf-8", "no-such-charset", "utf-16"]:
        response = raw_post(
            client,
            article,
            body,
            f"application/x-www-form-urlencoded; charset={charset}",
        )
        assert response.status_code < 500, charset


@pytest.mark.parametrize("value", ["abc", "-1", "1e9", "99999999999999999999", "１２"])
def test_forged_parent_ids_get_a_message(client, article, value):
    response = post(client, article, parent=value)
    assert response.status_code == 400
    assert form_error(response)
    assert Comment.objects.count() == 0


def test_forged_article_id_is_404(client):
    assert client.post("/comments/0/post/", VALID).status_code == 404
    assert client.post("/comments/abc/post/", VALID).status_code == 404


def test_huge_request_is_refused(client, article):
    response = post(client, article, body="x" * 3_000_000)
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_thousands_of_fields_are_refused(client, article):
    data = {**VALID, **{f"f{n}": "x" for n in range(2000)}}
    response = client.post(f"/comments/{article.pk}/post/", data)
    assert response.status_code == 400


def test_multipart_garbage_is_refused(client, article):
    response = raw_post(
        client, article, b"--x\r\nbroken", "multipart/form-data; boundary=x"
    )
    assert 400 <= response.status_code < 500


def test_control_characters_are_removed_and_feed_stays_well_formed(client, article):
    rules(moderation_mode="publish")
    refused = post(client, article, body="Null \x00 byte")
    assert refused.status_code == 400
    assert form_error(refused, "body") == "Null characters are not allowed."
    nasty = "Line one\x08\x1b[31m\u2028 and \ufeffmore\x0b\nLine two"
    response = post(client, article, body=nasty, name="Ali\x1f", ticket=aged_ticket())
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.name == "Ali"
    assert comment.body == "Line one[31m\n and more\nLine two"
    make_comment(article, body="Old \x01 stored")  # stored before cleaning existed
    feed = client.get(f"/comments/{article.pk}/feed/")
    assert feed.status_code == 200
    ET.fromstring(feed.content)  # well-formed XML
    assert client.get(article.url).status_code == 200


def test_report_endpoint_hostile_input(client, article):
    comment = make_comment(article)
    assert (
        client.post(f"/comments/report/{comment.pk}/", {"reason": "nope"}).status_code
        == 400
    )
    assert client.post(f"/comments/report/{comment.pk}/", {}).status_code == 400
    assert client.get("/comments/report/999999/").status_code == 404
    pending = make_comment(article, approved=False)
    assert client.get(f"/comments/report/{pending.pk}/").status_code == 404
    long = {"reason": "abuse", "detail": "x" * 5000}
    response = client.post(f"/comments/report/{comment.pk}/", long)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/comments/notify/confirm/garbage/", "/comments/notify/unsubscribe/x:y:z/"]
)
def test_forged_mail_links_are_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert b"not valid" in response.content
