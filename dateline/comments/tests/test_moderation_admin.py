from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.comments.actions import (
    do_edit_comment,
    do_moderate_comment,
    do_report_comment,
)
from dateline.comments.backends import Verdict
from dateline.comments.models import Comment, CommenterBan, ModerationLogEntry
from dateline.testing.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

QUEUE = "/admin/reader-comments/"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def article():
    return make_article(title="Water plan for the capital")


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderator", email="moderator@newsroom.example", password="pw"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def boss_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("boss", password="pw")
    )
    return client


def pending(article, **fields):
    return make_comment(article, approved=False, **fields)


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def row_ids(response):
    rows = soup_of(response).select("table.comment-queue tbody tr")
    return [int(row["id"].removeprefix("comment-")) for row in rows]


def row(response, comment):
    return soup_of(response).select_one(f"#comment-{comment.pk}")


def buttons(node):
    return [button.get_text(strip=True) for button in node.select("button")]


def messages_after(client, response):
    """The admin messages shown on the page a POST redirected to."""
    page = soup_of(client.get(response["Location"]))
    return [" ".join(li.get_text().split()) for li in page.select(".messages li")]


def tabs(response):
    return {
        " ".join(link.get_text().split())
        for link in soup_of(response).select(".comment-tabs a")
    }


def bulk(client, action, comments, queue="pending", next_url=QUEUE):
    return client.post(
        f"{QUEUE}bulk/",
        {
            "action": action,
            "queue": queue,
            "comment": [c.pk for c in comments],
            "next": next_url,
        },
    )


# The menu and the queue


def test_comments_menu_item_is_shown_to_moderators_only(client, moderator):
    client.force_login(moderator)
    assert QUEUE in client.get("/admin/").content.decode()
    editor = type(moderator).objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert QUEUE not in home.content.decode()


def test_tabs_count_each_queue(mod_client, article):
    pending(article)
    pending(article)
    make_comment(article)
    reported = make_comment(article)
    do_report_comment(reported, "abuse")
    do_moderate_comment(pending(article), "spam")
    do_moderate_comment(pending(article), "trash")
    response = mod_client.get(QUEUE)
    assert tabs(response) == {
        "Pending (2)",
        "Reported (1)",
        "Approved (2)",
        "Spam (1)",
        "Trash (1)",
    }
    current = soup_of(response).select_one(".comment-tabs a[aria-current=page]")
    assert current.get_text().startswith("Pending")


def test_each_tab_lists_its_queue_newest_first(mod_client, article):
    old = pending(article)
    new = pending(article)
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    approved = make_comment(article)
    spam = pending(article)
    do_moderate_comment(spam, "spam")
    assert row_ids(mod_client.get(QUEUE)) == [new.pk, old.pk]
    assert row_ids(mod_client.get(f"{QUEUE}?status=approved")) == [approved.pk]
    assert row_ids(mod_client.get(f"{QUEUE}?status=spam")) == [spam.pk]
    assert row_ids(mod_client.get(f"{QUEUE}?status=nonsense")) == [new.pk, old.pk]


def test_a_row_shows_what_a_moderator_needs(mod_client, article):
    parent = make_comment(article, name="Omar Farooq")
    comment = pending(
        article,
        name="Hina Baig",
        email="hina@readers.example",
        website="https://hina.example/",
        body="First line.\nSecond line.",
        parent=parent,
        ip_address="203.0.113.9",
        verdict=Verdict("hold", "2 links, more than allowed"),
    )
    node = row(mod_client.get(QUEUE), comment)
    text = " ".join(node.get_text(" ").split())
    for shown in [
        "Hina Baig",
        "hina@readers.example",
        "https://hina.example/",
        "Held because: 2 links, more than allowed",
        f"In reply to #{parent.pk} by Omar Farooq",
    ]:
        assert shown in text
    body = node.select_one(".comment-queue__body")
    assert body.decode_contents() == "First line.<br/>Second line."
    link = node.find("a", string="Water plan for the capital")
    assert link["href"] == article.url
    assert node.select_one("time")["datetime"] == comment.created_at.isoformat()
    reply_to = node.select_one(".comment-queue__reply-to a")["href"]
    assert parse_qs(urlsplit(reply_to).query) == {
        "status": ["approved"],
        "comment": [str(parent.pk)],
    }
    assert buttons(node) == ["Approve", "Spam", "Trash"]
    assert node.find("a", string="Edit")["href"].startswith(
        f"{QUEUE}{comment.pk}/edit/"
    )
    ban = node.find("a", string="Ban")["href"]
    assert ban == f"{QUEUE}bans/?email=hina%40readers.example"
    # The IP address is for administrators.
    assert "203.0.113.9" not in text


def test_administrators_also_see_the_ip_address(boss_client, article):
    comment = pending(article, ip_address="203.0.113.9")
    node = row(boss_client.get(QUEUE), comment)
    assert node.select_one(".comment-queue__ip").get_text() == "203.0.113.9"


def test_row_buttons_fit_the_queue(mod_client, article):
    comment = make_comment(article)
    assert buttons(row(mod_client.get(f"{QUEUE}?status=approved"), comment)) == [
        "Pending",
        "Spam",
        "Trash",
    ]
    do_moderate_comment(comment, "trash")
    node = row(mod_client.get(f"{QUEUE}?status=trash"), comment)
    assert buttons(node) == ["Approve", "Pending", "Spam"]
    forms = node.select("form")
    assert all(form["method"] == "post" for form in forms)
    assert all(form.select_one("input[name=csrfmiddlewaretoken]") for form in forms)


def test_hostile_text_is_shown_escaped_in_the_queue(mod_client, article):
    comment = pending(article, name=HOSTILE, body=HOSTILE, website="")
    html = mod_client.get(QUEUE).content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert row(mod_client.get(QUEUE), comment)


def test_reported_tab_shows_the_reports(mod_client, article):
    comment = make_comment(article, body="You are all liars")
    do_report_comment(comment, "abuse", detail="Calls people <b>liars</b>")
    do_report_comment(comment, "off_topic")
    make_comment(article)
    response = mod_client.get(f"{QUEUE}?status=reported")
    assert row_ids(response) == [comment.pk]
    reports = row(response, comment).select_one(".comment-queue__reports")
    assert reports.strong.get_text() == "2 open reports"
    assert {li.get_text() for li in reports.select("li")} == {
        "Abusive or hateful: Calls people <b>liars</b>",
        "Off topic",
    }
    # Approving keeps the comment and closes its reports.
    assert "Approve" in buttons(row(response, comment))
    mod_client.post(f"{QUEUE}{comment.pk}/approve/")
    assert row_ids(mod_client.get(f"{QUEUE}?status=reported")) == []


def test_filter_by_article_title_or_number(mod_client, article):
    other = make_article(title="Budget day")
    mine = pending(article)
    theirs = pending(other)
    assert row_ids(mod_client.get(QUEUE, {"article": "water PLAN"})) == [mine.pk]
    assert row_ids(mod_client.get(QUEUE, {"article": str(other.pk)})) == [theirs.pk]


def test_filter_by_commenter_name_or_email(mod_client, article):
    hina = pending(article, name="Hina Baig", email="hb@readers.example")
    omar = pending(article, name="Omar", email="omar.hina@mail.example")
    pending(article, name="Bilal", email="bilal@readers.example")
    assert row_ids(mod_client.get(QUEUE, {"commenter": "hina"})) == [omar.pk, hina.pk]
    assert row_ids(mod_client.get(QUEUE, {"commenter": "HB@READ"})) == [hina.pk]


def test_filter_by_date_range(mod_client, article):
    now = timezone.now()
    dated = {}
    for days in [10, 5, 0]:
        comment = pending(article)
        Comment.objects.filter(pk=comment.pk).update(
            created_at=now - timedelta(days=days)
        )
        dated[days] = comment.pk

    def day(days):
        return timezone.localdate(now - timedelta(days=days)).isoformat()

    response = mod_client.get(QUEUE, {"posted_from": day(6), "posted_to": day(5)})
    assert row_ids(response) == [dated[5]]
    assert row_ids(mod_client.get(QUEUE, {"posted_from": day(5)})) == [
        dated[0],
        dated[5],
    ]
    assert row_ids(mod_client.get(QUEUE, {"posted_to": day(6)})) == [dated[10]]
    date_inputs = soup_of(response).select("input[type=date]")
    assert [i["name"] for i in date_inputs] == ["posted_from", "posted_to"]
    assert date_inputs[0]["value"] == day(6)


def test_a_bad_filter_value_is_explained_not_an_error(mod_client, article):
    comment = pending(article)
    response = mod_client.get(QUEUE, {"posted_from": "yesterday-ish"})
    assert row_ids(response) == [comment.pk]
    assert "Enter a valid date." in soup_of(response).select_one(
        ".comment-filters"
    ).get_text(" ")


def test_filters_are_kept_across_pages_and_tabs(mod_client, article):
    asma = [pending(article, name="Asma Jahangir") for _ in range(55)]
    pending(article, name="Someone else")
    response = mod_client.get(QUEUE, {"commenter": "asma"})
    assert len(row_ids(response)) == 50
    assert "Pending (55)" in tabs(response)
    next_link = soup_of(response).select_one(".pagination .next a")["href"]
    assert parse_qs(urlsplit(next_link).query) == {"commenter": ["asma"], "p": ["2"]}
    second = mod_client.get(next_link)
    assert len(row_ids(second)) == 5
    assert set(row_ids(response) + row_ids(second)) == {c.pk for c in asma}
    links = soup_of(second).select(".comment-tabs a")
    approved_tab = next(a["href"] for a in links if "Approved" in a.get_text())
    assert parse_qs(urlsplit(approved_tab).query) == {
        "commenter": ["asma"],
        "status": ["approved"],
    }


def test_single_moderation_goes_back_to_the_same_queue_and_filters(mod_client, article):
    comment = pending(article, name="Hina")
    back = f"{QUEUE}?status=pending&commenter=hina"
    response = mod_client.post(f"{QUEUE}{comment.pk}/spam/", {"next": back})
    assert response["Location"] == back
    assert messages_after(mod_client, response) == ["Comment by Hina marked as spam."]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    elsewhere = mod_client.post(
        f"{QUEUE}{comment.pk}/pending/", {"next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == QUEUE


def test_queue_queries_do_not_grow_with_comments(
    mod_client, article, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            parent = make_comment(article)
            reply = make_comment(article, parent=parent, approved=False)
            do_edit_comment(reply, "Edited text")
            do_report_comment(parent, "spam", detail="Selling watches")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert mod_client.get(url).status_code == 200
        return len(captured)

    urls = [QUEUE, f"{QUEUE}?status=reported", f"{QUEUE}?status=approved&article=w"]
    add(3)
    baseline = {url: queries(url) for url in urls}
    add(37)
    for url in urls:
        with django_assert_num_queries(baseline[url]):
            response = mod_client.get(url)
        assert len(row_ids(response)) > 3
