from urllib.parse import unquote

import pytest
from wagtail.contrib.redirects.models import Redirect

from dateline.newsroom.models import PlainPage
from dateline.wordpress.models import ImportedItem

from .helpers import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    run_import(tmp_path=tmp_path)


def page_url(kind, wp_id):
    from wagtail.models import Page

    record = ImportedItem.objects.get(kind=kind, key=str(wp_id))
    return Page.objects.get(pk=record.object_id).url


def moved(client, old):
    response = client.get(old)
    assert response.status_code == 301, old
    return response["Location"]


def test_post_addresses(imported, client):
    url = page_url("post", 100)
    assert moved(client, "/2025/10/30/river-rises/").endswith(url)
    assert moved(client, "/2025/10/30/river-rises").endswith(url)
    assert moved(client, "/?p=100").endswith(url)
    record = ImportedItem.objects.get(kind="post", key="100")
    assert moved(client, "/2025/10/30/river-rises/feed/").endswith(
        f"/comments/{record.object_id}/feed/"
    )
    assert client.get(url).status_code == 200


def test_non_latin_address(imported, client):
    url = page_url("post", 102)
    location = moved(client, "/2025/11/03/%d8%b3%db%8c%d9%84%d8%a7%d8%a8/")
    assert unquote(location).endswith(unquote(url))
    assert unquote(location).endswith("/سیلاب/")


def test_pages_terms_and_authors(imported, client):
    about = PlainPage.objects.get(slug="about")
    assert client.get("/about/").status_code == 200  # same address: no redirect
    assert moved(client, "/?page_id=7").endswith(about.url)
    assert moved(client, "/category/local/river-towns/").endswith("/local/river-towns/")
    assert moved(client, "/category/local/river-towns/feed/").endswith(
        "/feeds/section/river-towns/"
    )
    assert moved(client, "/tag/floods/").endswith("/tags/floods/")
    assert moved(client, "/tag/floods/feed/").endswith("/feeds/tag/floods/")
    assert moved(client, "/author/nadia/").endswith("/authors/nadia/")
    assert moved(client, "/author/nadia/feed/").endswith("/feeds/author/nadia/")
    assert client.get(moved(client, "/tag/floods/")).status_code == 200
    assert client.get("/feed/").status_code == 200


def test_redirects_are_editable_wagtail_redirects(imported, admin_client):
    redirect = Redirect.objects.get(old_path="/tag/floods")
    response = admin_client.get(f"/admin/redirects/{redirect.pk}/")
    assert response.status_code == 200
    redirect.redirect_link = "https://elsewhere.example/floods/"
    redirect.save()
    assert admin_client.get("/tag/floods/")["Location"] == (
        "https://elsewhere.example/floods/"
    )


def test_old_guids_in_the_feed(imported, client):
    feed = client.get("/feed/").content.decode()
    assert '<guid isPermaLink="false">https://ledger.example/?p=100</guid>' in feed


def test_running_again_adds_no_redirect(imported, tmp_path):
    before = Redirect.objects.count()
    run_import(tmp_path=tmp_path)
    assert Redirect.objects.count() == before
