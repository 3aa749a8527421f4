import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from dateline.comments.models import Comment, CommentReport
from dateline.testing.factories import make_article, make_comment

from .helpers import rules, soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Trade fair")


def report(client, comment, reason="abuse", **headers):
    return client.post(
        f"/comments/report/{comment.pk}/",
        {"reason": reason, "detail": "Rude"},
        **headers,
    )


def test_report_link_leads_to_a_form_and_a_thank_you(client, article):
    comment = make_comment(article)
    link = soup(client.get(article.url)).select_one(
        f"#comment-{comment.pk} .comment__report"
    )
    form = soup(client.get(link["href"]))
    assert form.select_one("input[name=reason][value=abuse]")
    response = report(client, comment)
    assert response.status_code == 200
    assert b"Thank you for your report" in response.content
    stored = CommentReport.objects.get()
    assert (stored.reason, stored.detail) == ("abuse", "Rude")
    assert Comment.objects.get().open_reports == 1


def test_enough_reports_hide_a_comment_pending_review(client, article):
    rules(report_threshold=2)
    comment = make_comment(article, body="Contested words")
    report(client, comment)
    assert "Contested words" in client.get(article.url).content.decode()
    report(client, comment, reason="spam")
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert "Contested words" not in client.get(article.url).content.decode()
    assert list(Comment.objects.reported()) == [comment]


def test_report_from_another_site_is_refused(client, article):
    comment = make_comment(article)
    response = report(client, comment, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert CommentReport.objects.count() == 0


@override_settings(DATELINE_COMMENTS_REPORT_RATE=(2, 3600))
def test_reports_are_rate_limited(client, article):
    comment = make_comment(article)
    report(client, comment)
    report(client, comment)
    response = report(client, comment)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert CommentReport.objects.count() == 2


def test_comment_feed_lists_published_comments_without_emails(client, article):
    make_comment(
        article, name="Reader <One>", body="Good & fair", email="one@private.example"
    )
    make_comment(article, approved=False, body="Held back")
    page = soup(client.get(article.url))
    feed_link = page.find("link", href=f"/comments/{article.pk}/feed/")
    response = client.get(feed_link["href"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["By: Reader <One>"]
    assert items[0].findtext("description") == "<p>Good &amp; fair</p>"  # HTML
    assert (
        items[0]
        .findtext("link")
        .endswith(f"{article.url}#comment-{Comment.objects.first().pk}")
    )
    assert b"private.example" not in response.content
    assert b"Held back" not in response.content


def test_a_story_with_2000_comments_renders_one_page_in_flat_queries(
    client, article, django_assert_num_queries, settings
):
    settings.DATELINE_COMMENTS_PER_PAGE = 50
    make_comment(article)
    client.get(article.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(article.url)
    Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"R{n}",
            email=f"r{n}@x.example",
            body=f"c{n}",
            status="approved",
            fingerprint=f"f{n}",
        )
        for n in range(2000)
    )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(article.url)
    html = response.content.decode()
    assert html.count('class="comment comment--depth-1"') == 50
    assert "2001 Comments" in html
    assert len(response.content) < 200_000
