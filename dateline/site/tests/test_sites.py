"""The site lookup kept under the ``site`` cache tag (``site/sites.py``).

Wagtail reads the request's site from the slot its ``Site.find_for_request``
documents; these tests fail if a Wagtail upgrade stops reading it (a page view
would query the sites table again) or if a change to a site is not seen.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from dateline.testing.factories import home_page, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lookup_cached(settings):
    settings.DATELINE_FRAGMENT_CACHE = True
    settings.DATELINE_PAGE_CACHE = False


def site_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [
        query["sql"]
        for query in context.captured_queries
        if "wagtailcore_site" in query["sql"]
    ]


def test_a_page_view_does_not_look_the_site_up_in_the_database(client):
    article = make_article(title="Where the site comes from")
    site_queries(client, article.url)  # fills the cache
    assert site_queries(client, article.url) == []
    assert site_queries(client, "/") == []


def test_the_lookup_off_leaves_it_to_wagtail(client, settings):
    """The control: without the cached lookup, Wagtail queries the sites table."""
    settings.DATELINE_FRAGMENT_CACHE = False
    article = make_article(title="Where the site comes from")
    assert site_queries(client, article.url) != []


def test_a_changed_site_is_looked_up_again_once(client):
    article = make_article(title="Renamed outlet")
    site_queries(client, article.url)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "The Renamed Gazette"
    site.save()
    assert site_queries(client, article.url) != []
    assert site_queries(client, article.url) == []


def test_a_republished_home_page_is_looked_up_again_once(client):
    site_queries(client, "/")
    home = home_page()
    home.title = "Front page, retitled"
    home.save_revision().publish()
    assert site_queries(client, "/") != []
    assert site_queries(client, "/") == []
