from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from dateline.newsroom.actions import do_publish_article, do_retract_article
from dateline.newsroom.models import ArticlePage, SectionPage
from dateline.search.highlight import excerpt, search_terms
from dateline.search.queries import search_articles
from dateline.testing.factories import make_article, make_author, make_section
from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db


def body(*paragraphs):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def story(section, title, text="", *, days_old=1, **fields):
    """A published article ``days_old`` days old, indexed."""
    article = make_article(section, title=title, body=body(text or title), **fields)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=days_old)
    )
    return article


def reindex():
    call_command("update_index", verbosity=0)


def get(client, **params):
    return client.get("/search/", params)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def titles(response):
    assert response.status_code == 200, response.content[:2000]
    return [
        a.get_text() for a in soup(response).select(".search-result .card__title a")
    ]


def filler(section, count=6):
    """Articles without the search words, so ranking sees a real corpus."""
    for n in range(count):
        story(section, f"Weather note {n}", "Clouds over the hills again today.")


@pytest.fixture
def world():
    return make_section("World")


# --- ranking -------------------------------------------------------------------


def test_the_most_relevant_article_comes_first(client, world):
    filler(world)
    story(world, "Budget talks stall", "The council met. A budget was mentioned once.")
    story(
        world,
        "Glacier melt speeds up",
        "The glacier lost ice. Glacier scientists say the glacier retreat doubled.",
    )
    reindex()
    assert titles(get(client, q="glacier")) == ["Glacier melt speeds up"]
    assert titles(get(client, q="budget")) == ["Budget talks stall"]

    story(world, "River report", "A glacier feeds the river, the report says.")
    reindex()
    assert titles(get(client, q="GLACIER")) == [
        "Glacier melt speeds up",
        "River report",
    ]


def test_of_two_equally_matching_articles_the_newer_comes_first(client, world):
    filler(world)
    text = "Harbour workers strike over pay at the harbour."
    story(world, "Harbour strike", text, days_old=90)
    story(world, "Harbour strike", text, days_old=2)
    story(world, "Harbour strike", text, days_old=30)
    reindex()
    results = search_articles("harbour")
    ages = [
        (timezone.now() - a.first_published_at).days for a in results[0 : len(results)]
    ]
    assert ages == [2, 30, 90]


def test_publishing_makes_an_article_searchable_without_a_reindex(client, world):
    make_article(world, title="Tunnel opens", body=body("The tunnel opened."))
    draft = make_article(world, title="Tunnel closes", publish=False)
    run_tasks()  # Wagtail updates the index in a task, which the worker runs
    assert titles(get(client, q="tunnel")) == ["Tunnel opens"]
    do_publish_article(draft)
    run_tasks()
    assert sorted(titles(get(client, q="tunnel"))) == ["Tunnel closes", "Tunnel opens"]


def test_every_word_must_match(client, world):
    filler(world)
    story(world, "Water budget", "The water budget grew.")
    story(world, "Water rates", "Water rates are up.")
    reindex()
    assert titles(get(client, q="water budget")) == ["Water budget"]
    assert len(titles(get(client, q="water"))) == 2
    # "the" is a stop word to PostgreSQL's english configuration, a word to SQLite.
    assert titles(get(client, q="the water budget")) == ["Water budget"]


# --- what never appears ----------------------------------------------------------


def test_unpublished_embargoed_private_and_retracted_articles_never_appear(
    client, world
):
    filler(world)
    story(world, "Public volcano report")
    make_article(world, title="Draft volcano report", publish=False)
    embargoed = story(
        world,
        "Embargoed volcano report",
        embargo_until=timezone.now() + timedelta(hours=2),
    )
    retracted = story(world, "Retracted volcano report")
    do_retract_article(retracted, reason="Wrong volcano")
    private_section = make_section("Members")
    story(private_section, "Members volcano report")
    PageViewRestriction.objects.create(
        page=private_section, restriction_type=PageViewRestriction.LOGIN
    )
    reindex()
    assert titles(get(client, q="volcano")) == ["Public volcano report"]
    assert [a.title for a in search_articles("volcano")[0:10]] == [
        "Public volcano report"
    ]

    # The embargo is applied when searching: once it lifts, no reindex is needed.
    ArticlePage.objects.filter(pk=embargoed.pk).update(
        embargo_until=timezone.now() - timedelta(minutes=1)
    )
    assert sorted(titles(get(client, q="volcano"))) == [
        "Embargoed volcano report",
        "Public volcano report",
    ]


# --- filters ------------------------------------------------------------------------


def test_section_filter_includes_sub_sections_and_also_in(client, world):
    business = make_section("Business")
    markets = SectionPage(title="Markets", slug="markets")
    business.add_child(instance=markets)
    markets.save_revision().publish()
    story(world, "World cotton prices")
    story(business, "Business cotton exports")
    story(markets, "Markets cotton futures")
    also = story(world, "Cotton farmers protest")
    also.also_in.add(markets)
    also.save_revision().publish()
    reindex()

    found = titles(get(client, q="cotton", section="business"))
    assert sorted(found) == [
        "Business cotton exports",
        "Cotton farmers protest",
        "Markets cotton futures",
    ]
    assert sorted(titles(get(client, q="cotton", section="world"))) == [
        "Cotton farmers protest",
        "World cotton prices",
    ]
    response = get(client, q="cotton", section="no-such-section")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_author_filter(client, world):
    sana, omar = make_author("Sana Mir"), make_author("Omar Z")
    story(world, "Railway tunnel opens", authors=[sana])
    story(world, "Railway fares rise", authors=[omar, sana])
    story(world, "Railway strike", authors=[omar])
    reindex()
    assert sorted(titles(get(client, q="railway", author="sana-mir"))) == [
        "Railway fares rise",
        "Railway tunnel opens",
    ]
    assert get(client, q="railway", author="nobody").status_code == 400


def test_date_range_filter_is_inclusive_days(client, world):
    today = timezone.localdate()
    story(world, "Monsoon arrives", days_old=10)
    story(world, "Monsoon floods", days_old=5)
    story(world, "Monsoon ends", days_old=0)
    reindex()
    start = (today - timedelta(days=10)).isoformat()
    end = (today - timedelta(days=5)).isoformat()
    assert sorted(titles(get(client, q="monsoon", **{"from": start, "to": end}))) == [
        "Monsoon arrives",
        "Monsoon floods",
    ]
    assert titles(get(client, q="monsoon", **{"from": today.isoformat()})) == [
        "Monsoon ends"
    ]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "2025-02-30"}, "Enter a valid date."),
        ({"to": "yesterday"}, "Enter a valid date."),
        ({"from": "99999-01-01"}, "Enter a valid date."),
        ({"from": "2025-03-01", "to": "2025-01-01"}, "The end date is before"),
    ],
)
def test_invalid_dates_are_a_form_error(client, world, params, message):
    response = get(client, q="monsoon", **params)
    assert response.status_code == 400
    errors = soup(response).select_one(".form-errors").get_text()
    assert message in errors


# --- pagination and query count -------------------------------------------------------


def test_results_are_paginated_by_ten_keeping_the_query(client, world, settings):
    for n in range(12):
        story(world, f"Cricket score {n}", days_old=n + 1)
    reindex()
    first = get(client, q="cricket", section="world")
    assert len(titles(first)) == 10
    assert "12 results" in soup(first).select_one("h2").get_text()
    next_link = soup(first).select_one("a[rel=next]")["href"]
    assert "q=cricket" in next_link and "section=world" in next_link
    assert "page=2" in next_link
    second = get(client, q="cricket", section="world", page="2")
    assert len(titles(second)) == 2
    assert set(titles(first)).isdisjoint(titles(second))
    assert titles(get(client, q="cricket", page="99")) == titles(second)
    assert titles(get(client, q="cricket", page="abc")) == titles(first)


def test_more_matches_than_candidates_says_so(client, world, settings):
    settings.DATELINE_SEARCH_CANDIDATES = 3
    for n in range(5):
        story(world, f"Festival day {n}")
    reindex()
    response = get(client, q="festival")
    assert len(titles(response)) == 3
    assert "More than 3 results" in soup(response).select_one("h2").get_text()


def test_queries_per_results_page_do_not_grow_with_matches(client, world):
    author = make_author("A Writer")

    def add(n):
        for _ in range(n):
            story(world, "Election results", "Election day.", authors=[author])

    def count():
        get(client, q="election")  # warm: site and settings caches
        with CaptureQueriesContext(connection) as context:
            response = get(client, q="election", author="a-writer", section="world")
            assert response.status_code == 200
        return len(context.captured_queries), len(titles(response))

    add(5)
    reindex()
    few, shown = count()
    assert shown == 5
    add(45)
    reindex()
    many, shown = count()
    assert shown == 10
    assert many == few


# --- editors' picks ------------------------------------------------------------------


def pin(query_string, article, order=0):
    return SearchPromotion.objects.create(
        query=Query.get(query_string), page=article, sort_order=order
    )


def test_editors_pick_comes_first_labelled_and_only_when_released(client, world):
    filler(world)
    story(world, "Budget explained", "Budget budget budget, all about the budget.")
    guide = story(world, "Your guide to the new tax year", "Everything changes.")
    embargoed = story(
        world, "Budget leak", embargo_until=timezone.now() + timedelta(hours=1)
    )
    pin("Budget", embargoed, order=0)
    pin("Budget", guide, order=1)
    reindex()

    response = get(client, q="  budget ")
    assert titles(response) == ["Your guide to the new tax year", "Budget explained"]
    cards = soup(response).select(".search-result")
    assert cards[0].select_one(".search-result__pick").get_text() == "Editor's pick"
    assert cards[1].select_one(".search-result__pick") is None
    assert "Budget leak" not in response.content.decode()
    assert "2 results" in soup(response).select_one("h2").get_text()
    # Only on the query it was pinned for, and never twice.
    assert titles(get(client, q="tax")) == ["Your guide to the new tax year"]
    assert not soup(get(client, q="tax")).select(".search-result__pick")


def test_an_editor_pins_a_result_in_the_admin(client, world):
    story(world, "Cricket board elections")
    guide = story(world, "How the league works")
    reindex()
    editor = get_user_model().objects.create_user("editor", password="pw")
    editor.groups.add(*editor.groups.model.objects.filter(name="Editors"))
    client.force_login(editor)
    response = client.post(
        "/admin/searchpicks/add/",
        {
            "query_string": "Cricket",
            "editors_picks-TOTAL_FORMS": 1,
            "editors_picks-INITIAL_FORMS": 0,
            "editors_picks-MAX_NUM_FORMS": 1000,
            "editors_picks-0-DELETE": "",
            "editors_picks-0-ORDER": 0,
            "editors_picks-0-page": guide.pk,
            "editors_picks-0-description": "Start here",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert titles(get(client, q="cricket")) == [
        "How the league works",
        "Cricket board elections",
    ]


# --- snippets -------------------------------------------------------------------------


def test_results_show_an_excerpt_around_the_first_match_with_terms_marked(
    client, world
):
    opening = " ".join(f"word{n}" for n in range(60))
    story(
        world,
        "Bridge repairs",
        f"{opening} The old Bridge will close. Engineers said the bridge, "
        "and the bridges nearby, need work.",
        standfirst="Works begin in spring.",
    )
    reindex()
    result = soup(get(client, q="bridge")).select_one(".search-result")
    snippet = result.select_one(".search-result__excerpt")
    assert [m.get_text() for m in snippet.select("mark")] == ["Bridge", "bridge"]
    text = snippet.get_text()
    assert text.startswith("… ") and "word0 " not in text
    assert "bridges" in text  # a longer word is not a match
    assert len(text.split()) <= 32
    assert result.select_one(".card__title mark").get_text() == "Bridge"


def test_excerpts_escape_hostile_content_and_queries(client, world):
    story(
        world,
        "Script <b>test</b>",
        "Beware &lt;script&gt;alert(1)&lt;/script&gt; of the ghost &amp; lt.",
    )
    reindex()
    response = get(client, q="<script> lt")
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;<mark>script</mark>&gt;alert(1)" in html
    assert "&amp; <mark>lt</mark>." in html  # the entity itself is never split
    assert "<b>test</b>" not in html


def test_excerpt_marks_whole_words_in_any_script_and_escapes_before_marking():
    marked = excerpt("کراچی میں بارش، کراچی کے شہری", ["کراچی"])
    assert marked.count("<mark>کراچی</mark>") == 2
    assert str(excerpt("a <mark> b", ["mark"])) == "a &lt;<mark>mark</mark>&gt; b"
    assert str(excerpt("Tom & Jerry", ["amp"])) == "Tom &amp; Jerry"
    assert str(excerpt("…", ["x"])) == "…"
    long = " ".join(["filler"] * 100 + ["needle"] + ["after"] * 100)
    words = str(excerpt(long, ["needle"])).split()
    assert 30 <= len(words) <= 32 and "<mark>needle</mark>" in words


def test_search_terms_drop_syntax_and_keep_words_in_any_script():
    assert search_terms('"water" OR budget* NEAR(a b)', 10) == [
        "water",
        "OR",
        "budget",
        "NEAR",
        "a",
        "b",
    ]
    assert search_terms("हिन्दी समाचार\x00\x1b[31m", 10) == ["हिन्दी", "समाचार", "31m"]
    assert search_terms("Water water WATER", 10) == ["Water"]
    assert search_terms("a b c d", 2) == ["a", "b"]


# --- hostile input and the page itself ---------------------------------------------


HOSTILE = [
    '"',
    '"water',
    "*",
    "water*",
    "OR",
    "water OR",
    "AND NOT water",
    "NEAR(water budget)",
    "NEAR(",
    "{title}: water",
    "title:water",
    "water - budget",
    "^water",
    "'; DROP TABLE wagtailcore_page; --",
    "\\",
    "!!! ??? ...",
    "\x01\x02\x1b\x7f",
    "water & | ! <-> :*",
    "the",
    "a" * 199,
    "🌧️ water",
    " ".join(f"w{n}" for n in range(40)),
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_a_page_never_an_error(client, world, query):
    story(world, "Water plan", "Water for the city.")
    reindex()
    response = get(client, q=query, page="2")
    assert response.status_code == 200
    assert (
        soup(response)
        .select_one("h2")
        .get_text()
        .strip()
        .endswith(("result", "results"))
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("w" * 10_000, "Search for at most 200 characters."),
        ("water\x00", "Null characters are not allowed."),
    ],
)
def test_unusable_queries_are_a_clear_400(client, query, message):
    response = get(client, q=query)
    assert response.status_code == 400
    assert message in soup(response).select_one(".form-errors").get_text()


def test_query_of_only_punctuation_finds_nothing(client, world):
    story(world, "Water plan")
    reindex()
    response = get(client, q="?!")
    assert titles(response) == []
    assert "No results" in response.content.decode()


def test_empty_query_shows_just_the_form_and_the_page_is_not_indexed(client, world):
    story(world, "Water plan")
    reindex()
    for params in [{}, {"q": ""}, {"q": "   ", "section": "world"}]:
        response = get(client, **params)
        assert response.status_code == 200
        page = soup(response)
        assert page.select_one("form.search-form")
        assert not page.select(".search-results")
        robots = page.select_one('meta[name="robots"]')
        assert robots["content"] == "noindex"
    labels = {label["for"] for label in page.select("form.search-form label")}
    assert labels == {"id_q", "id_section", "id_author", "id_from", "id_to"}


def test_no_results_says_so(client, world):
    story(world, "Water plan")
    reindex()
    response = get(client, q="zebra")
    assert titles(response) == []
    assert "0 results" in soup(response).select_one("h2").get_text()
    assert "No results" in response.content.decode()


def test_every_page_has_a_labelled_search_form_in_the_masthead(client, world):
    story(world, "Water plan")
    page = soup(client.get("/"))
    form = page.select_one(".masthead form[role=search]")
    assert form["action"] == "/search/" and form["method"] == "get"
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]").get_text()


def test_search_articles_with_filters_directly(world):
    author = make_author("Sana Mir")
    story(world, "Port expansion", authors=[author], days_old=3)
    story(world, "Port strike", days_old=3)
    reindex()
    results = search_articles(
        "port",
        section=world,
        author=author,
        date_from=timezone.localdate() - timedelta(days=4),
        date_to=date.today() + timedelta(days=1),  # noqa: DTZ011
    )
    assert [a.title for a in results[0:10]] == ["Port expansion"]
    assert search_articles("").total == 0


def test_the_query_is_echoed_as_text_in_the_search_form(client, world):
    query = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    page = soup(get(client, q=query))
    assert page.select_one(".search-form input[name=q]")["value"] == query
    assert page.find("script", string="alert(1)") is None
    assert not [tag for tag in page.find_all(True) if "onerror" in tag.attrs]


def test_only_the_newest_matches_are_scored_when_a_word_is_everywhere(
    client, world, settings
):
    """A word in most stories would have the whole archive scored on every search:
    the newest ``DATELINE_SEARCH_NEWEST_MATCHES`` matching entries are."""
    filler(world)
    oldest = story(world, "Zebra census", "Zebra zebra zebra zebra.", days_old=3)
    story(world, "Parks budget", "A zebra crossing near the park.", days_old=2)
    story(world, "Road works", "The zebra crossing is repainted.", days_old=1)
    reindex()
    settings.DATELINE_SEARCH_NEWEST_MATCHES = 0  # every match scored
    assert titles(get(client, q="zebra"))[0] == oldest.title
    settings.DATELINE_SEARCH_NEWEST_MATCHES = 2
    found = titles(get(client, q="zebra"))
    assert sorted(found) == ["Parks budget", "Road works"]
    settings.DATELINE_SEARCH_NEWEST_MATCHES = 3
    assert titles(get(client, q="zebra"))[0] == oldest.title
