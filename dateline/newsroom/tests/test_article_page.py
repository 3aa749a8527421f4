import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from dateline.ads.actions import do_update_placement
from dateline.ads.models import HouseAd, Placement
from dateline.newsroom.actions import do_publish_article
from dateline.newsroom.models import ArticlePage, OutletSettings
from dateline.testing.factories import (
    make_article,
    make_author,
    make_comment,
    make_image,
    make_section,
    paragraph_blocks,
    words,
)

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def outlet():
    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    outlet.name = "The Dateline Gazette"
    outlet.save()
    return outlet


@pytest.fixture
def house_ad():
    ad = HouseAd.for_site(Site.objects.get(is_default_site=True))
    ad.image = make_image("Subscribe")
    ad.link_url = "/subscribe/"
    ad.alt_text = "Subscribe to the Gazette"
    ad.save()
    return ad


@pytest.fixture
def full_article(outlet, house_ad):
    section = make_section("Pakistan")
    body = [
        {"type": "paragraph", "value": f"<p>{words(100)}</p>"},
        {"type": "paragraph", "value": f"<p>{words(100, 1)}</p>"},
        {"type": "subheading", "value": "What comes next"},
        {"type": "paragraph", "value": f"<p>{words(100, 2)}</p>"},
        {
            "type": "blockquote",
            "value": {"quote": words(98, 3), "attribution": "A. Engineer"},
        },
        {
            "type": "pullquote",
            "value": {
                "text": "Water is the city's first budget line.",
                "attribution": "",
            },
        },
        {
            "type": "image",
            "value": {
                "image": make_image("Pipes").pk,
                "caption": "New pipes",
                "credit": "Photo: Gazette",
            },
        },
        {
            "type": "embed",
            "value": {
                "url": "https://video.example/watch/1",
                "title": "Watch the council meeting",
                "caption": "",
            },
        },
        {"type": "paragraph", "value": "<p>Last words.</p>"},
    ]
    return make_article(
        section,
        title="Capital approves new water plan",
        standfirst="A summary.",
        authors=[make_author("Amina Qureshi"), make_author("Bilal Khan")],
        body=body,
        tags=["water", "islamabad"],
    )


def test_reading_time_is_stored_when_saved(full_article):
    # 4 (the dateline, "Islamabad (The Dateline Gazette)") + 100 + 100 + 3 (subheading)
    # + 100 + 98 (quote) + 2 = 407 words; pull quotes and captions do not count.
    assert full_article.word_count == 407
    assert ArticlePage.objects.get(pk=full_article.pk).reading_minutes == 3


def test_401_words_read_in_three_minutes():
    article = make_article(
        dateline_place="",
        body=[
            {"type": "paragraph", "value": f"<p>{words(200)}</p>"},
            {"type": "paragraph", "value": f"<p>{words(201)}</p>"},
        ],
    )
    assert article.word_count == 401
    assert article.reading_minutes == 3


def test_urdu_article_reading_time_counts_urdu_words():
    urdu = "شہر کی لائبریری پیر کو دوبارہ کھل گئی " * 30  # 240 words
    article = make_article(
        language="ur",
        dateline_place="",
        body=[{"type": "paragraph", "value": f"<p>{urdu}</p>"}],
    )
    assert article.word_count == 240
    assert article.reading_minutes == 2


@override_settings(DATELINE_READING_WPM_BY_LANGUAGE={"ur": 120})
def test_reading_rate_per_language_applies_at_save():
    urdu = "شہر کی لائبریری پیر کو دوبارہ کھل گئی " * 30
    article = make_article(
        language="ur",
        dateline_place="",
        body=[{"type": "paragraph", "value": f"<p>{urdu}</p>"}],
    )
    assert article.reading_minutes == 2
    english = make_article(
        body=[{"type": "paragraph", "value": f"<p>{words(240)}</p>"}]
    )
    assert english.reading_minutes == 2


def test_article_page_shows_every_item_in_order(client, full_article):
    soup = soup_of(client.get(full_article.url))
    story = soup.select_one("article.story")
    text = story.get_text(" ", strip=True)

    assert [h.get_text() for h in soup.find_all("h1")] == [
        "Capital approves new water plan"
    ]
    assert "3 Min Read" in soup.select_one(".story__reading-time").get_text()
    authors = soup.select(".byline a.byline__author")
    assert [a.get_text() for a in authors] == ["Amina Qureshi", "Bilal Khan"]
    assert authors[0]["href"] == "/authors/amina-qureshi/"
    published = soup.select_one(".story__dates time")
    assert published["datetime"] == timezone.localtime(
        full_article.first_published_at
    ).isoformat(timespec="seconds")
    assert soup.select_one(".story__updated") is None

    first_p = soup.select_one(".story__body p")
    dateline = first_p.find("span", class_="dateline")
    assert dateline.get_text() == "Islamabad (The Dateline Gazette)"
    assert first_p.contents[0] == dateline
    assert first_p.get_text().startswith(
        "Islamabad (The Dateline Gazette) – council water"
    )

    order = [
        text.index("Capital approves new water plan"),
        text.index("3 Min Read"),
        text.index("Amina Qureshi"),
        text.index("Islamabad (The Dateline Gazette)"),
        text.index("- Advertisement -"),
        text.index("Share This Article"),
    ]
    assert order == sorted(order)
    page_text = soup.get_text(" ", strip=True)
    assert page_text.index("Share This Article") < page_text.index("Leave a Comment")
    assert page_text.index("Leave a Comment") < page_text.index("Leave a Reply")


def test_body_blocks_render(client, full_article):
    soup = soup_of(client.get(full_article.url))
    body = soup.select_one(".story__body")
    assert body.select_one("h2.story__subheading").get_text() == "What comes next"
    assert body.select_one("blockquote cite").get_text() == "A. Engineer"
    assert "first budget line" in body.select_one(".story__pullquote").get_text()
    figure = body.select_one("figure.story__figure")
    assert len(figure.img["srcset"].split(",")) == 3
    assert figure.img["alt"] == "Pipes"
    assert "Photo: Gazette" in figure.figcaption.get_text()
    embed = body.select_one(".story__embed a")
    assert embed["href"] == "https://video.example/watch/1"
    assert body.find("iframe") is None


def fill_slot(client, slot):
    """What ads.js is told to put in ``slot`` (the page is the same for everyone)."""
    size = next(c for c in slot.select_one(".ad-slot__box")["class"] if "--" in c)
    response = client.get(
        "/ads/fill/",
        {
            "page": slot["data-ad-page"],
            "slots": f"{slot['data-ad-slot']}:{size.split('--')[1]}",
        },
    )
    return response.json()["slots"][slot["data-ad-slot"]]


def test_ad_slot_follows_the_configured_paragraph_with_reserved_size(
    client, full_article
):
    soup = soup_of(client.get(full_article.url))
    slot = soup.select_one(".story__body aside.ad-slot")
    assert slot.select_one(".ad-slot__label").get_text() == "- Advertisement -"
    assert "ad-slot__box--300x250" in slot.select_one(".ad-slot__box")["class"]
    house_ad = fill_slot(client, slot)
    assert (house_ad["width"], house_ad["height"]) == (300, 250)
    assert house_ad["alt"] == "Subscribe to the Gazette"
    assert house_ad["href"] == "/subscribe/"
    # Without JavaScript the same box holds a link and an image served by the site.
    fallback = slot.find_next_sibling("noscript")
    assert (fallback.img["width"], fallback.img["height"]) == ("300", "250")
    assert fallback.img["src"].startswith("/ads/noscript/article-inline-3/")
    paragraphs_before = slot.find_all_previous("p", class_=False)
    story_paragraphs = [
        p for p in paragraphs_before if p.find_parent(class_="story__body")
    ]
    assert len(story_paragraphs) == 3


def test_ad_slot_position_is_set_in_the_admin(client, full_article):
    placement = Placement.objects.get(key="article-inline-3")
    do_update_placement(placement, position=1)
    soup = soup_of(client.get(full_article.url))
    slot = soup.select_one(".story__body aside.ad-slot")
    assert slot.find_previous_sibling("p").find("span", class_="dateline")


def test_no_house_ad_means_no_empty_slot(client, outlet):
    article = make_article()
    soup = soup_of(client.get(article.url))
    # Nothing could fill it: no fallback for readers without JavaScript, and the
    # fill says "none", on which ads.js removes the reserved box.
    assert soup.select("noscript") == []
    slot = soup.select_one(".story__body aside.ad-slot")
    assert fill_slot(client, slot) == {"kind": "none"}


def test_share_links_open_each_network_without_their_scripts(client, full_article):
    soup = soup_of(client.get(full_article.url))
    share = soup.select_one("section.share")
    assert share.h2.get_text() == "Share This Article"
    links = {a.get_text(): a["href"] for a in share.select("a")}
    url = "http%3A%2F%2Flocalhost%2Fpakistan%2F"
    assert links["X"].startswith("https://x.com/intent/post?url=" + url)
    assert links["Facebook"].startswith(
        "https://www.facebook.com/sharer/sharer.php?u=" + url
    )
    assert links["WhatsApp"].startswith("https://wa.me/?text=")
    assert links["LinkedIn"].startswith(
        "https://www.linkedin.com/sharing/share-offsite/?url="
    )
    assert links["Telegram"].startswith("https://t.me/share/url?url=" + url)
    assert links["Email"].startswith("mailto:?subject=Capital%20approves")
    assert links["Copy link"] == full_article.full_url


def test_no_third_party_resource_is_loaded(client, full_article):
    response = client.get(full_article.url)
    soup = soup_of(response)
    for tag, attr in [
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("iframe", "src"),
        ("source", "srcset"),
        ("img", "srcset"),
    ]:
        for element in soup.find_all(tag):
            value = element.get(attr)
            if value and not (tag == "link" and element.get("rel") == ["canonical"]):
                assert not re.search(r"(^|,\s*)(https?:)?//", value), (tag, value)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    inline = [
        s
        for s in soup.find_all("script", src=False)
        if s.get("type") != "application/ld+json"
    ]
    assert inline == []  # data blocks (JSON-LD) are not run, so CSP allows them
    assert soup.find(style=True) is None


def test_updated_shows_only_after_a_later_change(client, full_article):
    soup = soup_of(client.get(full_article.url))
    assert soup.select_one(".story__updated") is None
    ArticlePage.objects.filter(pk=full_article.pk).update(
        first_published_at=timezone.now() - timedelta(hours=3)
    )
    article = ArticlePage.objects.get(pk=full_article.pk)
    article.standfirst = "A corrected summary."
    do_publish_article(article)
    soup = soup_of(client.get(article.url))
    updated = soup.select_one(".story__updated time")
    assert updated["datetime"] == timezone.localtime(
        ArticlePage.objects.get(pk=article.pk).last_published_at
    ).isoformat(timespec="seconds")


@override_settings(TIME_ZONE="Asia/Karachi")
def test_dates_are_in_the_outlet_time_zone(client, full_article):
    soup = soup_of(client.get(full_article.url))
    assert soup.select_one(".story__dates time")["datetime"].endswith("+05:00")


def test_rich_text_is_sanitised_whoever_wrote_it(client):
    hostile = (
        "<p>Safe <b>bold</b> <script>alert(1)</script><img src=x onerror=alert(2)>"
        '<a href="javascript:alert(3)">click</a> '
        '<a href="https://ok.example/" onclick="x()">ok</a>'
        '<iframe src="https://evil.example/"></iframe></p>'
    )
    article = make_article(body=[{"type": "paragraph", "value": hostile}])
    stored = ArticlePage.objects.get(pk=article.pk).body.raw_data[0]["value"]
    assert (
        "<script" not in stored
        and "onerror" not in stored
        and "javascript:" not in stored
    )
    html = client.get(article.url).content.decode()
    assert "<script>alert" not in html
    assert (
        "onerror" not in html and "onclick" not in html and "evil.example" not in html
    )
    assert '<a href="https://ok.example/">ok</a>' in html
    assert "<b>bold</b>" in html


def test_titles_and_standfirsts_are_escaped(client):
    article = make_article(
        title='<script>alert("t")</script> Budget', standfirst="<i>x</i> & y"
    )
    html = client.get(article.url).content.decode()
    assert '<script>alert("t")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "&lt;i&gt;x&lt;/i&gt; &amp; y" in html


def test_draft_article_is_not_public(client):
    article = make_article(publish=False)
    assert client.get("/world/" + article.slug + "/").status_code == 404


def test_article_page_queries_do_not_grow_with_comments_or_articles(
    client, full_article, django_assert_num_queries, settings
):
    """The uncached view (no page cache; site settings, menu and the site lookup kept
    with the content version): the article with its comment counts and its bylines
    with their authors (``article_at``: two queries), a page of comments in one. The
    rest of the page is kept as HTML with holes (``caching.shells``): its tags,
    corrections and body's images are not read again."""
    settings.DATELINE_FRAGMENT_CACHE = True

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(full_article.url).status_code == 200
        return len(context.captured_queries)

    make_comment(full_article)
    count()  # the first view makes image renditions and warms Wagtail's caches
    baseline = count()
    assert baseline == 3
    for _ in range(25):
        make_comment(full_article)
    full_article.tags.add("budget", "water")
    full_article.corrections.create(text="An earlier version misspelt a name.")
    full_article.save()
    section = full_article.get_parent().specific
    for _ in range(10):
        make_article(section, body=paragraph_blocks(2))
    # New stories in its section change what follows the story: that block is built
    # once (test_reader_features.py counts it), then kept.
    count()
    with django_assert_num_queries(baseline):
        response = client.get(full_article.url)
    html = response.content.decode()
    assert html.count('class="comment comment--depth-1"') == 26
    assert "An earlier version misspelt a name." in html
    assert 'href="/tags/budget/"' in html and "Amina Qureshi" in html


def test_the_article_read_costs_two_queries_however_much_it_carries(
    full_article, django_assert_num_queries
):
    """What a view renders of the story on every view (the rest is kept with holes,
    ``caching.shells``): its bylines, comment counts and what the ad slots and the
    kept page's key need."""
    from dateline.newsroom.queries import article_at

    def read():
        article = article_at(full_article.url_path)
        return (
            [author.name for author in article.authors],
            article.published_comment_count,
            article.published_thread_count,
            article.section_id,
            article.lead_image_id,
            article.live_revision_id,
        )

    with django_assert_num_queries(2):
        read()
    for number in range(5):
        reply_to = make_comment(full_article)
        make_comment(full_article, parent=reply_to)
        full_article.tags.add(f"tag-{number}")
        full_article.corrections.create(text=f"Correction {number}.")
    full_article.save()
    with django_assert_num_queries(2):
        authors, comments, threads, section, *_ = read()
    assert authors == ["Amina Qureshi", "Bilal Khan"]
    assert (comments, threads) == (10, 5)
    assert section == full_article.get_parent().pk


def test_finding_an_article_by_its_address_uses_an_index():
    """The route to an article must not read the whole archive: Wagtail does not
    index url_path, so the lookup starts from the page slug's index (PostgreSQL told
    not to scan, as it would not on a big table)."""
    from django.db import connection

    from dateline.newsroom.queries import live_article_at

    article = make_article(title="Indexed story")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
    plan = live_article_at(article.url_path).explain()
    assert "wagtailcore_page_slug" in plan, plan
    assert live_article_at(article.url_path).get() == article
