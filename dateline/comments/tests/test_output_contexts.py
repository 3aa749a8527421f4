"""Markup a commenter types is shown as text in every place the comment goes out:
the article page, the comment feed, e-mails and the moderators' admin.

Each output is read as its consumer reads it: the page and the admin as HTML, the
feed with an XML parser and then as the HTML a feed reader renders, e-mails as the
text (and any HTML) part a mail client shows.
"""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Site

from dateline.comments.actions import do_moderate_comment
from dateline.comments.digest import send_pending_digest
from dateline.comments.models import Comment, CommentSettings
from dateline.testing.factories import make_article
from dateline.testing.tasks import run_tasks

from .helpers import post, rules

pytestmark = pytest.mark.django_db

NAME = "Eve <b onmouseover=alert(1)>Bold</b>"
BODY = (
    'Look: <img src=x onerror="alert(1)"> and <a href="javascript:alert(2)">this</a>.'
    "\nTom & Jerry don't <script>alert(3)</script>"
)


@pytest.fixture
def article():
    return make_article(title="Rail link reopens")


def typed(client, article, **fields):
    """A comment posted through the reader's form, then approved."""
    response = post(client, article, **{"name": NAME, "body": BODY, **fields})
    assert response.status_code in (200, 302), response.status_code
    comment = Comment.objects.get(name=fields.get("name", NAME))
    do_moderate_comment(comment, "approve")
    return comment


def text_of(html: str) -> str:
    """What a reader sees of ``html``: its words, entities decoded."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def words(text: str) -> str:
    return " ".join(text.split())


def assert_no_live_markup(html: str):
    """Parsed as a browser would, ``html`` has none of the typed elements or
    attributes: only the paragraphs, breaks and links we make."""
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        assert element.name in {"p", "br", "a"}, (element, html)
        assert not [name for name in element.attrs if name.startswith("on")], html
        assert not element.get("href", "").lower().startswith("javascript:"), html


def test_article_page_shows_typed_markup_as_text(client, article):
    comment = typed(client, article)
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    node = page.find(id=f"comment-{comment.pk}")
    assert NAME in node.get_text()
    assert "Tom & Jerry don't <script>alert(3)</script>" in node.get_text()
    assert node.find("script") is None and node.find("img") is None
    assert not node.find_all(attrs={"onerror": True})


def test_comment_feed_descriptions_are_html_escaped_once(client, article):
    comment = typed(client, article)
    response = client.get(f"/comments/{article.pk}/feed/")
    item = ET.fromstring(response.content).find("channel/item")
    # Titles and names are text: as typed, escaped only for XML.
    assert item.findtext("title") == f"By: {NAME}"
    # The description is HTML to every reader: the markup arrives escaped, once.
    description = item.findtext("description")
    assert_no_live_markup(description)
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in description
    assert "&amp;lt;" not in description  # not twice
    assert text_of(description) == words(BODY)
    # What a subscriber's reader makes of it.
    entry = feedparser.parse(response.content).entries[0]
    assert_no_live_markup(entry.summary)
    assert text_of(entry.summary) == words(BODY)
    assert entry.link.endswith(f"#comment-{comment.pk}")


def test_reply_and_confirmation_emails_show_typed_text(
    client, smtp_server, article, django_capture_on_commit_callbacks
):
    rules(moderation_mode="publish")
    with django_capture_on_commit_callbacks(execute=True):
        parent = typed(
            client, article, email="asma@readers.example", notify_replies="on"
        )
    run_tasks()  # the worker sends what the request queued
    [confirm] = smtp_server.messages
    Comment.objects.filter(pk=parent.pk).update(notify_confirmed_at=parent.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        typed(client, article, name="Mallory <i>x</i>", parent=parent.pk)
    run_tasks()
    reply = smtp_server.messages[-1]
    assert reply.subject == "Mallory <i>x</i> replied to your comment"
    for mail in (confirm, reply):
        assert_plain_text_and_html_parts(mail.message)
    assert f"Hello {NAME}," in confirm.body
    assert words(BODY) in words(reply.body)
    assert "&lt;" not in reply.body and "&amp;" not in reply.body


def assert_plain_text_and_html_parts(message):
    """Plain text as typed; an HTML part, if any, with the markup escaped."""
    for part in message.walk():
        if part.get_content_type() == "text/html":
            html = part.get_content()
            assert_no_live_markup(html)
            assert "&lt;" in html


def test_digest_email_shows_typed_text(client, smtp_server, article):
    site = Site.objects.get(is_default_site=True)
    settings = CommentSettings.for_site(site)
    settings.digest_enabled = True
    settings.digest_recipients = "desk@newsroom.example"
    settings.save()
    rules(moderation_mode="hold")
    post(client, article, name=NAME, body=BODY)
    assert send_pending_digest(site) == 1
    [mail] = smtp_server.messages
    assert NAME in mail.body
    assert "<script>alert(3)</script>" in mail.body
    assert "&lt;" not in mail.body
    assert_plain_text_and_html_parts(mail.message)


def test_moderation_queue_shows_names_bodies_and_report_details_as_text(
    client, article, django_user_model
):
    comment = typed(client, article)
    detail = '<img src=x onerror="alert(4)">spam'
    response = client.post(
        f"/comments/report/{comment.pk}/", {"reason": "spam", "detail": detail}
    )
    assert response.status_code in (200, 302)
    rules(moderation_mode="hold")
    post(client, article, name="Held <u>one</u>", body="<script>alert(5)</script>")
    moderator = django_user_model.objects.create_user("mod", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    shown = {}
    for status in ("pending", "approved", "reported", ""):
        response = client.get("/admin/reader-comments/", {"status": status})
        assert response.status_code == 200
        html = response.content.decode()
        page = BeautifulSoup(html, "html.parser")
        assert not page.find_all(attrs={"onerror": True})
        assert not page.find_all(attrs={"onmouseover": True})
        assert not page.find_all("u")
        assert "<script>alert(5)" not in html
        shown[status] = " ".join(page.get_text(" ").split())
    assert detail in shown["reported"]
    assert "Held <u>one</u>" in shown["pending"]
    assert "<script>alert(5)</script>" in shown["pending"]
