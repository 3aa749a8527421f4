"""The commenter's e-mail and IP address appear in no public output, anywhere."""

import io
import json
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.testing.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "very.private.reader@secret-mail.example"
SECRET_IP = "203.0.113.77"


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src", "action"} and value:
                self.links.append(value)


def crawl(client, start="/", limit=400):
    """Every page and feed reachable from ``start`` on this site, by GET."""
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        pages[path] = response
        if "html" not in response.get("Content-Type", ""):
            continue
        collector = LinkCollector()
        collector.feed(response.content.decode())
        for link in collector.links:
            url = urlsplit(urljoin("http://testserver" + path, link))
            if url.netloc not in {"testserver", ""} or url.path.startswith("/admin"):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return pages


def test_no_public_page_or_feed_shows_a_commenters_email_or_ip(client, settings):
    settings.DATELINE_COMMENTS_PER_PAGE = 2
    article = make_article(title="Glacier survey", tags=["climate"])
    for n in range(3):
        make_comment(
            article, email=SECRET_EMAIL, ip_address=SECRET_IP, body=f"Point {n}"
        )
    make_comment(article, approved=False, email=SECRET_EMAIL, ip_address=SECRET_IP)
    pages = crawl(client)
    kinds = {p.split("?")[0] for p in pages}
    assert article.url in kinds and "/comments/ticket/" not in kinds
    assert any(p.startswith(f"/comments/{article.pk}/feed/") for p in pages)
    assert any(p.startswith("/comments/report/") for p in pages)
    assert any("cpage=2" in p for p in pages)
    for path in [*list(pages), "/no-such-page/", f"/comments/{article.pk}/post/"]:
        response = pages.get(path) or client.get(path)
        # Files (the site's icon) come as a stream; pages and feeds whole.
        raw = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        body = raw.decode(errors="replace")
        assert "secret-mail" not in body, path
        assert SECRET_IP not in body, path
    error = client.post(f"/comments/{article.pk}/post/", {"email": SECRET_EMAIL})
    assert (
        SECRET_EMAIL in error.content.decode()
    )  # only the poster sees their own input
    assert SECRET_IP not in error.content.decode()


def test_old_ip_addresses_are_erased_after_the_retention_period(settings):
    settings.DATELINE_COMMENTS_IP_RETENTION_DAYS = 30
    article = make_article()
    old = make_comment(article, ip_address=SECRET_IP, user_agent="Firefox")
    recent = make_comment(article, ip_address="198.51.100.1")
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    out = io.StringIO()
    call_command("erase_comment_ips", stdout=out)
    assert out.getvalue().strip() == (
        "Erased the IP address of 1 comment(s) older than 30 days."
    )
    old.refresh_from_db(), recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert recent.ip_address == "198.51.100.1"


def test_commenter_can_get_everything_stored_about_them_and_have_it_erased():
    article = make_article(title="Heatwave")
    make_comment(article, email=SECRET_EMAIL, ip_address=SECRET_IP, body="Hot!")
    make_comment(article, email="someone.else@r.example", body="Stay")
    out = io.StringIO()
    call_command("commenter_data", "export", SECRET_EMAIL.upper(), stdout=out)
    data = json.loads(out.getvalue())
    assert [c["text"] for c in data["comments"]] == ["Hot!"]
    assert data["comments"][0]["ip_address"] == SECRET_IP

    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="add --yes"):
        call_command("commenter_data", "erase", SECRET_EMAIL)
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("commenter_data", "export", "nobody")
    call_command("commenter_data", "erase", SECRET_EMAIL, "--yes", stdout=io.StringIO())
    assert list(Comment.objects.values_list("body", flat=True)) == ["Stay"]
    out = io.StringIO()
    call_command("commenter_data", "erase", SECRET_EMAIL, "--yes", stdout=out)
    assert (
        out.getvalue().strip() == f"Erased 0 comment(s) and any ban for {SECRET_EMAIL}."
    )
