"""Ad text is text and ad HTML is sanitised HTML, wherever a creative goes out: the
fill answer ``ads.js`` renders (text fields with ``textContent``, the HTML field with
``innerHTML``) and the ad desk's report."""

import pytest
from bs4 import BeautifulSoup

from dateline.ads.tests.helpers import fill, make_campaign, make_creative
from dateline.ads.tests.test_admin import user_in

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)"> Tom & Jerry\'s <script>alert(2)</script>'


def test_text_ads_carry_typed_markup_as_text(client):
    campaign = make_campaign(creatives=0)
    make_creative(campaign, kind="text", headline=HOSTILE[:90], text=HOSTILE)
    ad = fill(client)["article-inline-3"]
    # Text fields: exactly as typed, for textContent; no HTML field to inject into.
    assert ad["headline"] == HOSTILE[:90]
    assert ad["text"] == HOSTILE
    assert "html" not in ad


def test_html_ads_are_sanitised_before_they_go_out(client):
    campaign = make_campaign(creatives=0)
    make_creative(campaign, kind="html", html=f"<p>{HOSTILE}</p>")
    html = fill(client)["article-inline-3"]["html"]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert not [tag for tag in soup.find_all(True) if "onerror" in tag.attrs]
    assert "Tom &amp; Jerry's" in html


def test_ad_report_shows_campaign_names_as_text(client):
    make_campaign(name=f"Rain {HOSTILE[:40]}")
    client.force_login(user_in("Ad managers"))
    response = client.get("/admin/ads/report/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert not [tag for tag in soup.find_all(True) if "onerror" in tag.attrs]
    assert not soup.find_all("img", src="x")
    assert f"Rain {HOSTILE[:40]}" in soup.get_text()
