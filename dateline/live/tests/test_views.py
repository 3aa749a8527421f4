"""The live page and its poll endpoint as readers get them, and the live desk."""

import os
import subprocess
import sys
import threading

import pytest
from bs4 import BeautifulSoup
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils.form_data import rich_text

from dateline.live.actions import (
    do_delete_entry,
    do_edit_entry,
    do_pin_entry,
    do_post_entry,
    do_set_coverage,
)
from dateline.live.models import Coverage, LiveEntry
from dateline.testing.factories import make_article

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def entry_ids(page_soup, scope=".live__entries"):
    return [int(e["data-entry"]) for e in page_soup.select(f"{scope} [data-entry]")]


def post_entries(page, count, **fields):
    return [
        do_post_entry(page, title=f"Update {i}", body=f"<p>Update {i}</p>", **fields)
        for i in range(count)
    ]


def test_readers_get_entries_newest_first_with_pinned_on_top(client, live_page):
    first, second, third = post_entries(live_page, 3)
    do_pin_entry(first, True)
    page = soup(client.get(live_page.url))
    assert entry_ids(page, ".live__pinned") == [first.pk]
    assert entry_ids(page) == [third.pk, second.pk]
    assert page.select_one(".story__headline").get_text() == "Election night"
    assert "Sana Mir" in page.select_one(".byline").get_text()
    assert page.select_one(".live-status").get_text() == "Live"


def test_oldest_first_is_a_page_option(client, live_page):
    first, second = post_entries(live_page, 2)
    live_page.oldest_first = True
    live_page.save_revision().publish()
    assert entry_ids(soup(client.get(live_page.url))) == [first.pk, second.pk]


def test_key_events_link_to_their_entries(client, live_page, settings):
    settings.DATELINE_LIVE_PAGE_SIZE = 2
    key = do_post_entry(live_page, title="Polls close", body="<p>x</p>", key_event=True)
    post_entries(live_page, 3)
    page = soup(client.get(live_page.url))
    link = page.select_one(".live__key-events a")
    assert "Polls close" in link.get_text()
    # Not on the first page of entries: the link opens the page that holds it.
    assert link["href"] == f"?before={key.pk + 1}#entry-{key.pk}"
    older = soup(client.get(live_page.url + link["href"].split("#")[0]))
    assert key.pk in entry_ids(older)


def test_load_more_pages_through_older_entries_without_javascript(
    client, live_page, settings
):
    settings.DATELINE_LIVE_PAGE_SIZE = 2
    entries = post_entries(live_page, 5)
    seen, url = [], live_page.url
    while url:
        page = soup(client.get(url))
        seen += entry_ids(page)
        more = page.select_one(".live__more a")
        url = live_page.url + more["href"] if more else None
    assert seen == [entry.pk for entry in reversed(entries)]


def test_the_endpoint_answers_what_is_new_after_the_readers_latest(client, live_page):
    first, second = post_entries(live_page, 2)
    answer = client.get(f"{live_page.url}entries/?after={first.pk}")
    assert answer["Content-Type"] == "application/json"
    data = answer.json()
    assert data["count"] == 1 and data["latest"] == second.pk
    fragment = BeautifulSoup(data["html"], "html.parser")
    assert [int(e["data-entry"]) for e in fragment.select("[data-entry]")] == [
        second.pk
    ]
    assert client.get(f"{live_page.url}entries/?after={second.pk}").json()["count"] == 0


def test_edits_and_deletions_reach_the_endpoint_and_the_page(client, live_page):
    kept, gone = post_entries(live_page, 2)
    do_edit_entry(kept, body="<p>Corrected figure: 52%</p>")
    gone_pk = gone.pk
    do_delete_entry(gone)
    data = client.get(f"{live_page.url}entries/?after={gone_pk}").json()
    assert data["present"] == [kept.pk], data
    assert "Corrected figure" in data["edited"][str(kept.pk)]["html"], data
    assert "Updated" in data["edited"][str(kept.pk)]["html"]
    page = soup(client.get(live_page.url))
    assert entry_ids(page) == [kept.pk]
    assert page.select_one(f"#entry-{kept.pk} .live-entry__updated")


def test_unapproved_entries_stay_off_the_page(client, live_page):
    do_post_entry(live_page, body="<p>Not yet</p>", approved=False)
    assert entry_ids(soup(client.get(live_page.url))) == []
    assert client.get(f"{live_page.url}entries/?after=0").json()["count"] == 0


def test_the_live_page_and_endpoint_are_cached_briefly_and_retired_by_a_post(
    client, live_page, settings
):
    settings.DATELINE_PAGE_CACHE = True
    endpoint = f"{live_page.url}entries/?after=0"
    for url in (live_page.url, endpoint):
        assert client.get(url)["X-Page-Cache"] == "miss"
        answer = client.get(url)
        assert answer["X-Page-Cache"] == "hit"
        assert "max-age=8" in answer["Cache-Control"]
        assert f"live:{live_page.pk}" in answer["xkey"].split()
    entry = do_post_entry(live_page, body="<p>Fresh</p>")
    assert client.get(endpoint).json()["latest"] == entry.pk
    assert f"entry-{entry.pk}" in client.get(live_page.url).content.decode()


def test_an_ended_coverage_is_an_archive_cached_as_long_as_any_page(
    client, live_page, settings
):
    post_entries(live_page, 1)
    do_set_coverage(live_page, Coverage.ENDED)
    settings.DATELINE_PAGE_CACHE = True
    answer = client.get(live_page.url)
    assert "max-age=60" in answer["Cache-Control"]
    page = soup(answer)
    assert page.select_one(".live")["data-live-state"] == "ended"
    assert "Coverage ended" in page.select_one(".live-status").get_text()


def test_the_page_costs_the_same_queries_however_many_entries(
    client, live_page, django_assert_num_queries, settings
):
    # Every figure the page shows is a query of its own (pinned, key events, the
    # stream, the latest id), so the count is the same at 3 entries and at 33.
    settings.DATELINE_LIVE_PAGE_SIZE = 5
    post_entries(live_page, 2, key_event=True)
    do_pin_entry(LiveEntry.objects.first(), True)
    client.get(live_page.url)  # settings and the like, read once
    with CaptureQueriesContext(connection) as few:
        client.get(live_page.url)
    post_entries(live_page, 30, key_event=True)
    do_pin_entry(LiveEntry.objects.last(), True)
    with django_assert_num_queries(len(few.captured_queries)):
        soup(client.get(live_page.url))


# The live desk in the Wagtail admin.


def desk_url(page):
    return f"/admin/live/{page.pk}/"


def entry_form(text, **fields):
    return {"title": "", "body": rich_text(f"<p>{text}</p>"), "embed_url": "", **fields}


def test_the_desk_is_linked_from_the_page_editor(client, live_page, editor):
    client.force_login(editor)
    editor_page = client.get(f"/admin/pages/{live_page.pk}/edit/")
    assert desk_url(live_page) in editor_page.content.decode()
    listing = client.get(f"/admin/pages/{live_page.get_parent().pk}/")
    assert desk_url(live_page) in listing.content.decode()
    article = make_article(live_page.get_parent().specific, title="Plain story")
    article_editor = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "/admin/live/" not in article_editor
    assert f"/admin/newsroom/retract/{article.pk}/" in article_editor


def test_a_reporter_posts_and_an_editor_approves_on_the_desk(
    client, live_page, reporter, editor
):
    client.force_login(reporter)
    answer = client.post(desk_url(live_page), entry_form("Queues at the school"))
    assert answer.status_code == 302
    entry = LiveEntry.objects.get()
    assert not entry.approved and "Queues at the school" in entry.body
    desk = soup(client.get(desk_url(live_page)))
    assert "Awaiting approval" in desk.select_one(f"#desk-entry-{entry.pk}").get_text()
    client.force_login(editor)
    client.post(f"{desk_url(live_page)}entries/{entry.pk}/approve/")
    assert LiveEntry.objects.get().approved
    assert entry.pk in entry_ids(soup(Client().get(live_page.url)))


def test_editing_pinning_and_deleting_on_the_desk(client, live_page, editor):
    client.force_login(editor)
    entry = post_entries(live_page, 1)[0]
    url = f"{desk_url(live_page)}entries/{entry.pk}/"
    client.post(url, entry_form("Turnout was 61%", title="Turnout"))
    client.post(url + "pin/")
    page = soup(Client().get(live_page.url))
    pinned = page.select_one(f".live__pinned #entry-{entry.pk}")
    assert "Turnout was 61%" in pinned.get_text()
    assert "Updated" in pinned.select_one(".live-entry__updated").get_text()
    client.post(url + "delete/")
    assert not LiveEntry.objects.exists()


def test_the_desk_refuses_an_entry_after_coverage_at_the_field(
    client, live_page, editor
):
    do_set_coverage(live_page, Coverage.ENDED)
    client.force_login(editor)
    answer = client.post(desk_url(live_page), entry_form("Too late"))
    error = soup(answer).select_one("#id_body_error")
    assert error.get_text() == "Coverage has ended: no more entries."
    assert not LiveEntry.objects.exists()


def test_a_reader_cannot_open_the_desk(client, live_page):
    assert client.get(desk_url(live_page)).status_code == 302  # to the login


def in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def in_a_sqlite_file(tmp_path, test_id):
    """Run one test of this module again in a pytest of its own whose SQLite test
    database is a file, as the embedded site's is; its summary line."""
    done = subprocess.run(  # noqa: S603 - our own test run
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_id],
        env={
            **os.environ,
            "DATELINE_TEST_SQLITE_FILE": str(tmp_path / "writers.sqlite3"),
            "DATELINE_NO_SKIPS": "1",
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


# SQLite in memory, as the test run has it, refuses a second writer outright rather
# than making it wait as the embedded site's SQLite file (WAL, a busy timeout) and
# PostgreSQL do: on it, the test runs again with its database in a file.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reporters_posting_at_once_both_land(
    section, reporter_author, request, tmp_path
):
    from dateline.testing.factories import make_live_page

    if in_memory_sqlite():
        assert "1 passed" in in_a_sqlite_file(tmp_path, request.node.nodeid)
        return

    from .conftest import user_in

    page = make_live_page(section, authors=[reporter_author])
    editors = [user_in("Editors", "editor-a"), user_in("Editors", "editor-b")]
    start, answers = threading.Barrier(2), []

    def post(user, text):
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            answers.append(client.post(desk_url(page), entry_form(text)).status_code)
        finally:
            connections.close_all()  # or the test database cannot be dropped

    threads = [
        threading.Thread(target=post, args=(user, f"From {user.username}"))
        for user in editors
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [302, 302]
    bodies = sorted(LiveEntry.objects.values_list("body", flat=True))
    assert bodies == ["<p>From editor-a</p>", "<p>From editor-b</p>"]
    shown = soup(Client().get(page.url)).select(".live__entries [data-entry]")
    assert len(shown) == 2


def test_sections_offer_live_pages_through_the_newsroom_hook(client, section, editor):
    from dateline.live.models import LivePage
    from dateline.newsroom.models import SectionPage

    assert LivePage in SectionPage.creatable_subpage_models()
    client.force_login(editor)
    add = f"/admin/pages/add/dateline_live/livepage/{section.pk}/"
    assert client.get(add).status_code == 200
