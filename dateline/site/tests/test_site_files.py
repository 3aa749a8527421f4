"""Files every page relies on besides its HTML: the site's icon and the pictures."""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image

pytestmark = pytest.mark.django_db


def test_every_page_links_an_icon_the_site_serves(client):
    soup = BeautifulSoup(client.get("/no-such-page/").content, "html.parser")
    href = soup.head.find("link", rel="icon")["href"]
    assert href == "/favicon.ico"
    response = client.get(href)
    assert response.status_code == 200
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]
