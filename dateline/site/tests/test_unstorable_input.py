"""A NUL character cannot be stored or looked up in PostgreSQL's text columns: any
address or query parameter carrying one must be turned away with a 400, on every
page type and endpoint, before it reaches a query (where PostgreSQL would raise and
the reader would get a 500)."""

import pytest

from dateline.testing.factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article(title="Rain over the valley", authors=[make_author("Ayesha")])


def addresses(article):
    section = article.get_parent().url
    return [
        # Pages of the tree, found or not (a 404 looks up the redirects).
        article.url[:-1] + "%00/",
        article.url + "%00/",
        section[:-1] + "%00/",
        "/no-such-page%00/",
        "/%00",
        "/no.such/file?x=%00",
        # Query parameters of pages, listings, search, feeds, the API, ads.
        article.url + "?cpage=%00",
        section + "?page=%00",
        "/?p=%00",
        "/authors/?page=%00",
        "/tags/rain/?page=%00",
        "/feed/?section=%00",
        "/api/v1/articles/?section=%00",
        "/api/v1/articles/?tag=%00",
        "/api/v1/articles/?author=%00",
        "/api/v1/articles/?cursor=%00",
        "/ads/fill/?slots=%00&page=1",
        "/ads/click/%00/",
        "/comments/notify/confirm/%00/",
        "/comments/notify/unsubscribe/%00/",
        "/comments/ticket/?article=%00",
        # The parameter's name itself.
        article.url + "?%00=1",
    ]


def test_an_address_or_parameter_holding_nul_is_a_400_everywhere(client, story):
    for address in addresses(story):
        response = client.get(address)
        assert response.status_code == 400, address
        assert b"Traceback" not in response.content


def test_the_search_form_answers_with_its_message_at_the_field(client, story):
    # Its parameters all go through its form: the reader gets the form back, filled.
    response = client.get("/search/?q=rain%00")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    response = client.get("/search/?q=rain&section=%00")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert 'value="rain"' in html


def test_the_400_is_the_sites_own_page_with_its_security_headers(client, story):
    response = client.get(story.url + "%00/")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<h1>Bad request</h1>" in response.content.decode()


def test_a_nul_in_a_comment_is_a_message_at_the_field_and_the_form_comes_back(
    client, story
):
    page = client.get(story.url)
    assert page.status_code == 200
    response = client.post(
        f"/comments/{story.pk}/post/",
        {
            "name": "Reader\x00",
            "email": "reader@readers.example",
            "body": "Kept text with a \x00 in it.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Null characters are not allowed." in html
    assert "Kept text with a" in html


def test_a_plain_address_still_answers(client, story):
    assert client.get(story.url).status_code == 200
    assert client.get(story.url + "?utm_source=x%2500").status_code == 200


def test_a_host_the_site_does_not_serve_gets_the_400_page_too(client, story, settings):
    # The same page answers Django's own 400s: it must render for a request whose
    # host no site claims.
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get(story.url, HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
