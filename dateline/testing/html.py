"""Pages as a reader's browser parses them, for tests that read what is shown."""

from bs4 import BeautifulSoup


def soup_of(client, url, **headers):
    """The page at ``url``, which must answer 200, parsed."""
    response = client.get(url, headers=headers or None)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def page_text(client, url):
    """The words of the page at ``url``, as a reader sees them."""
    return soup_of(client, url).get_text(" ", strip=True)
