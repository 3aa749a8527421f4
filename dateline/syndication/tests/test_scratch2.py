import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from dateline.newsroom.tests.test_article_page import full_article, outlet, house_ad  # noqa
from dateline.testing.factories import make_comment

pytestmark = pytest.mark.django_db

def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return ctx.captured_queries

def test_compare(client, full_article, monkeypatch):
    make_comment(full_article)
    count(client, full_article.url)
    full = count(client, full_article.url)
    from dateline.syndication.templatetags import syndication as tags
    monkeypatch.setattr(tags, "metadata_for", lambda page, request: type("M", (), {"head": lambda self: None})())
    without = count(client, full_article.url)
    print(len(full), len(without))
    ws = [q["sql"] for q in without]
    for q in full:
        print("  ", q["sql"][:300])
