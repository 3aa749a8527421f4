import pytest
import feedparser
from dateline.testing.factories import make_article, make_section, make_author, make_image

pytestmark = pytest.mark.django_db

def test_scratch(client):
    s = make_section("World")
    a = make_article(s, title="<script>alert(1)</script> & ]]> \x0b \u200f😀", standfirst="Std <b>x</b> & y", tags=["water", "rain"], lead_image=make_image(), authors=[make_author("A One"), make_author("B Two")])
    for url in ["/feed/", "/feed/atom/", "/feed/json/", "/feeds/section/world/", "/feeds/tag/water/json/", "/feeds/author/a-one/atom/", "/sitemap.xml", "/sitemap-news.xml", "/sitemap-sections.xml", "/sitemap-authors.xml", "/sitemap-tags.xml", "/robots.txt"]:
        r = client.get(url)
        print("=====", url, r.status_code, r["Content-Type"])
        print(r.content.decode())
        if "feed" in url and "json" not in url:
            f = feedparser.parse(r.content)
            print("BOZO", f.bozo, f.get("bozo_exception"))
            print("TITLE", repr(f.entries[0].title), repr(f.entries[0].get("summary")))
    r = client.get("/sitemap.xml")
    import re
    for loc in re.findall(r"<loc>(.*?)</loc>", r.content.decode()):
        print(loc, client.get(loc.replace("http://testserver", "")).status_code)
    r = client.get(a.url)
    html = r.content.decode()
    print(html[:html.index("</head>")])
    print(client.get("/").content.decode().split("</head>")[0])
    print(client.get("/world/").content.decode().split("</head>")[0])
