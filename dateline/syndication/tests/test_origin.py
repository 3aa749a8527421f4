"""Every absolute URL the site writes names the site's own origin (the Wagtail
Site's address), never the host a request happened to come in on."""

import re

import pytest
from django.core import mail
from django.core.checks import Tags, run_checks
from django.core.management import call_command

from dateline.comments.actions import do_moderate_comment
from dateline.comments.models import Comment
from dateline.comments.tests.helpers import post
from dateline.testing.factories import (
    make_article,
    make_author,
    make_comment,
    make_image,
    make_section,
)
from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db

URL = re.compile(r"""https?://([^/\s"'<>\\]+)""")
ORIGIN = "news.example.org"


@pytest.fixture
def story(outlet):
    call_command("site_address", ORIGIN, "443")
    article = make_article(
        make_section("World"),
        title="Water plan",
        authors=[make_author("Amina Qureshi")],
        tags=["water"],
        lead_image=make_image(),
    )
    make_comment(article, name="Reader", body="Good.")
    return article


def wrong_hosts(text):
    """Hosts of absolute URLs in ``text`` that are this site under another name: the
    request's host (the test client's "testserver") or the stock "localhost"."""
    return set(URL.findall(text)) & {"testserver", "localhost"}


def test_pages_feeds_sitemaps_and_robots_name_only_the_sites_origin(client, story):
    urls = [
        "/",
        story.url,
        "/world/",
        "/authors/amina-qureshi/",
        "/tags/water/",
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-sections.xml",
        "/sitemap-authors.xml",
        "/sitemap-tags.xml",
        "/sitemap-news.xml",
        f"/comments/{story.pk}/feed/",
    ]
    for scope in ["/feed/", "/feeds/section/world/", "/feeds/tag/water/"]:
        urls += [scope, scope + "atom/", scope + "json/"]
    for url in urls:
        # The test client's requests come to "testserver".
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not wrong_hosts(text), (url, wrong_hosts(text))
        if not url.startswith(("/authors/", "/tags/")):  # no absolute URL there yet
            assert f"https://{ORIGIN}/" in text, url


def test_reader_emails_link_to_the_sites_origin(
    client, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, story, email="asma@readers.example", notify_replies="on")
        do_moderate_comment(
            Comment.objects.get(email="asma@readers.example"), "approve"
        )
    run_tasks()  # the worker sends what the request queued
    [confirm] = mail.outbox
    assert not wrong_hosts(confirm.body)
    assert f"https://{ORIGIN}/comments/notify/confirm/" in confirm.body


def test_a_production_site_left_at_localhost_is_warned_about(db, settings):
    settings.DEBUG = False
    found = run_checks(tags=[Tags.database], databases=["default"])
    assert [message.id for message in found] == ["dateline.W001"]
    assert run_checks(tags=[Tags.database]) == []  # a plain check asks no database
    call_command("site_address", "0.0.0.0", "8000")  # noqa: S104 - listening address
    found = run_checks(tags=[Tags.database], databases=["default"])
    assert found == []
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8000"
