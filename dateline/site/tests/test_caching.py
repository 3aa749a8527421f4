"""The page cache and the headers shared caches read: fast, and never stale."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import path
from django.utils import timezone
from wagtail.models import Site

from dateline.comments.actions import do_moderate_comment
from dateline.newsroom.actions import do_publish_article
from dateline.newsroom.models import ArticlePage, BreakingNews
from dateline.newsroom.tasks import refresh_lifted_embargoes
from dateline.testing.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.DATELINE_PAGE_CACHE = True


@pytest.fixture
def article():
    return make_article(title="Cached story")


def test_anonymous_pages_are_stored_and_served_without_queries(
    client, article, django_assert_num_queries
):
    first = client.get(article.url)
    assert first["X-Page-Cache"] == "miss"
    control = first["Cache-Control"]
    for part in [
        "public",
        "s-maxage=300",
        "stale-while-revalidate=60",
        "stale-if-error",
    ]:
        assert part in control
    with django_assert_num_queries(0):
        second = client.get(article.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["ETag"] == first["ETag"]
    not_modified = client.get(article.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304


def test_publishing_changes_the_next_view(
    client, article, django_capture_on_commit_callbacks
):
    client.get(article.url)
    article.title = "Cached story, updated"
    with django_capture_on_commit_callbacks(execute=True):
        do_publish_article(article)
    response = client.get(article.url)
    assert b"Cached story, updated" in response.content
    assert b"Cached story, updated" in client.get("/").content


def test_approving_a_comment_shows_at_once(
    client, article, django_capture_on_commit_callbacks
):
    comment = make_comment(article, approved=False, body="Worth the wait")
    client.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        do_moderate_comment(comment, "approve")
    assert b"Worth the wait" in client.get(article.url).content
    with django_capture_on_commit_callbacks(execute=True):
        do_moderate_comment(comment, "trash")
    assert b"Worth the wait" not in client.get(article.url).content


def test_an_approved_comment_retires_its_article_and_no_other_page(
    client, article, django_capture_on_commit_callbacks
):
    other = make_article(title="Another story")
    comment = make_comment(article, approved=False, body="Approved at last")
    for url in (article.url, article.url + "?cpage=1", other.url, "/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        do_moderate_comment(comment, "approve")
    for url in (article.url, article.url + "?cpage=1"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert b"Approved at last" in response.content
    for url in (other.url, "/"):  # they show nothing of the article's comments
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_pages_name_their_cache_tags_for_the_proxy(client, article):
    tags = client.get(article.url)["xkey"].split()
    for tag in (f"article:{article.pk}", f"comments-of:{article.pk}", "site-settings"):
        assert tag in tags
    assert "front" in client.get("/")["xkey"].split()
    assert client.get(article.url)["xkey"].split() == tags  # kept with the stored page


def test_site_settings_change_every_page(
    client, article, django_capture_on_commit_callbacks
):
    client.get("/")
    banner = BreakingNews.for_site(Site.objects.get(is_default_site=True))
    banner.text, banner.expires_at = "Polls close", timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        banner.save()
    assert b"Polls close" in client.get("/").content


def test_embargo_lifting_refreshes_cached_listings(
    client, article, django_capture_on_commit_callbacks
):
    hidden = make_article(
        title="Under embargo", embargo_until=timezone.now() + timedelta(hours=1)
    )
    refresh_lifted_embargoes()  # remembers when it last looked
    assert b"Under embargo" not in client.get("/").content
    ArticlePage.objects.filter(pk=hidden.pk).update(embargo_until=timezone.now())
    assert b"Under embargo" not in client.get("/").content  # still the stored page
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_lifted_embargoes() == 1
    assert b"Under embargo" in client.get("/").content


def test_editors_bypass_caches_and_see_drafts(client, article):
    client.get(article.url)
    ArticlePage.objects.filter(pk=article.pk).update(title="Changed behind the cache")
    client.force_login(get_user_model().objects.create_superuser("ed", password="pw"))
    response = client.get(article.url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert b"Changed behind the cache" in response.content


def test_unknown_query_strings_are_not_stored(client, article):
    client.get(article.url + "?utm_source=x")
    response = client.get(article.url + "?utm_source=x")
    assert "X-Page-Cache" not in response


def test_posts_and_errors_are_never_stored(client, article):
    client.get("/no-such-page/")
    assert "X-Page-Cache" not in client.get("/no-such-page/")
    response = client.post(f"/comments/{article.pk}/post/", {})
    assert "X-Page-Cache" not in response


def test_uncached_article_view_with_site_furniture_cached(
    client, settings, django_assert_num_queries
):
    """Without the page cache, the site, its settings, the section menu and the page
    kept with holes still come from the cache: the article view costs three queries
    (the article with its counts, its bylines, then its comments) however many
    comments or articles there are."""
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    article = make_article(title="Furnished")
    make_comment(article)
    client.get(article.url)
    with django_assert_num_queries(3):
        client.get(article.url)
    for _ in range(20):
        make_comment(article)
        make_article()
    client.get(article.url)
    with django_assert_num_queries(3):
        response = client.get(article.url)
    assert b"Furnished" in response.content
    assert response.content.decode().count('class="comment comment--depth-1"') == 21


def test_article_without_comments_costs_only_its_own_two_queries(
    client, settings, django_assert_num_queries
):
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    article = make_article(title="Quiet story")
    client.get(article.url)
    with django_assert_num_queries(2):
        response = client.get(article.url)
    assert b"Quiet story" in response.content and b"Leave a Reply" in response.content


def test_a_new_view_restriction_applies_at_once_with_the_site_cached(
    client, settings, django_capture_on_commit_callbacks
):
    """The restricted paths and the site are kept with the content version: saving a
    restriction moves it, so the next reader meets the password form."""
    from wagtail.models import PageViewRestriction

    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    article = make_article(title="Members story")
    assert b"Members story" in client.get(article.url).content
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=article.get_parent(), restriction_type="password", password="s3cret"
        )
    response = client.get(article.url)
    assert b"Members story" not in response.content
    assert b'name="password"' in response.content


def test_a_changed_site_is_seen_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    article = make_article(title="Hosted story")
    assert client.get(article.url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.is_default_site = "elsewhere.example", False
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    assert client.get(article.url).status_code == 404


def test_a_page_reads_the_shared_versions_once(client, settings, monkeypatch):
    """Every fragment of a page depends on cache tags; the cache is asked for each
    tag's version once a request."""
    from django.core.cache import caches

    from dateline.caching.versions import PREFIX

    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    article = make_article(title="Counted reads")
    client.get(article.url)
    backend = type(caches["default"])
    real_get, real_get_many, reads, inside = backend.get, backend.get_many, [], []

    def get(self, key, *args, **kwargs):
        if not inside:
            reads.append(key)
        return real_get(self, key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        reads.extend(keys)
        inside.append(True)  # the local-memory cache's get_many calls get
        try:
            return real_get_many(self, keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", get)
    monkeypatch.setattr(backend, "get_many", get_many)
    assert b"Counted reads" in client.get(article.url).content
    versions = [key for key in reads if key.startswith(PREFIX)]
    assert f"{PREFIX}site-settings" in versions
    assert f"{PREFIX}ads-inventory" in versions
    assert len(versions) == len(set(versions))


def test_a_write_in_a_request_is_seen_by_its_own_later_reads(
    django_capture_on_commit_callbacks,
):
    from dateline.caching.tags import invalidate, versions_of
    from dateline.caching.versions import request_scope

    with request_scope():
        before = versions_of(["front"])
        assert versions_of(["front"]) == before
        with django_capture_on_commit_callbacks(execute=True):
            invalidate(["front"])
        assert versions_of(["front"])["front"] > before["front"]


def _answer(response) -> dict:
    # What a reader's browser is told, but what belongs to one response alone.
    apart = {"x-page-cache", "date", "content-length"}
    return {
        name: value for name, value in response.items() if name.lower() not in apart
    }


def test_a_stored_page_is_answered_with_every_header_it_was_built_with(client, article):
    """The page cache answers before the clickjacking, CSP and session middleware:
    what they added when the page was built is stored with it."""
    first = client.get(article.url)
    second = client.get(article.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert _answer(second) == _answer(first)
    assert second["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in second["Content-Security-Policy"]
    assert "Set-Cookie" not in second and not second.cookies


def _nonce_page(request):
    from django.http import HttpResponse

    return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')


urlpatterns = [path("nonce/", _nonce_page)]


def test_a_page_with_a_csp_nonce_is_never_stored(client, settings):
    """A nonce proves a script belongs to one response: a stored page would hand
    every reader the same one."""
    settings.ROOT_URLCONF = __name__
    first, second = client.get("/nonce/"), client.get("/nonce/")
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    nonces = [response.content.split(b'"')[1].decode() for response in (first, second)]
    assert nonces[0] != nonces[1]


def test_a_nul_character_is_turned_away_with_the_page_cache_on(client, article):
    """The page cache answers before the check for NUL characters, and leaves to it
    whatever holds one: a stored page's address with one gets the 400, not the page."""
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    for address in (f"{article.url}?page=%00", f"{article.url}%00"):
        response = client.get(address)
        assert response.status_code == 400, address
        assert "X-Page-Cache" not in response
    assert client.get(article.url, HTTP_COOKIE="theme=dark\x00").status_code == 400
