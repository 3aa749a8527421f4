from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

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

from .helpers import rules

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
    for button in page.select(".messages li button"):
        button.decompose()
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


def test_comments_menu_item_is_shown_to_those_who_moderate_only(client, moderator):
    client.force_login(moderator)
    assert QUEUE in client.get("/admin/").content.decode()
    reporter = type(moderator).objects.create_user("reporter", password="pw")
    reporter.groups.add(Group.objects.get(name="Reporters"))
    client.force_login(reporter)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert QUEUE not in home.content.decode()
    # Editors moderate their desk's comments unless the site says otherwise.
    editor = type(moderator).objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert QUEUE in client.get("/admin/").content.decode()
    rules(editors_moderate=False)
    assert QUEUE not in client.get("/admin/").content.decode()


def test_queue_links_to_the_bans_and_the_log(mod_client):
    header = soup_of(mod_client.get(QUEUE)).select_one("header")
    links = {a.get_text(strip=True): a["href"] for a in header.select("a[href]")}
    assert links["Bans"] == f"{QUEUE}bans/"
    assert links["Moderation log"] == f"{QUEUE}log/"


def test_article_filter_takes_any_text(mod_client, article):
    pending(article)
    for text in ["99999999999999999999999", "²", "' OR 1=1 --"]:
        assert row_ids(mod_client.get(QUEUE, {"article": text})) == []


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
    root = make_comment(article)

    def add(count):
        """Replies, half of them pending, each edited and reported."""
        for n in range(count):
            reply = make_comment(article, parent=root, approved=n % 2 == 0)
            do_edit_comment(reply, "Edited text")
            do_report_comment(reply, "spam", detail="Selling watches")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert mod_client.get(url).status_code == 200
        return len(captured)

    urls = [QUEUE, f"{QUEUE}?status=reported", f"{QUEUE}?status=approved&article=w"]
    add(2)
    assert Comment.objects.count() == 3
    baseline = {url: queries(url) for url in urls}
    add(37)
    assert Comment.objects.count() == 40
    for url in urls:
        with django_assert_num_queries(baseline[url]):
            response = mod_client.get(url)
        assert len(row_ids(response)) >= 18


# Bulk actions


def test_bulk_approve_the_selected_and_go_back_to_the_same_filters(
    mod_client, moderator, article
):
    first, second, third = (pending(article, name=f"Hina {n}") for n in range(3))
    back = f"{QUEUE}?status=pending&commenter=hina&p=1"
    response = bulk(mod_client, "approve", [first, third], next_url=back)
    assert response.status_code == 302
    assert response["Location"] == back
    assert messages_after(mod_client, response) == ["2 comments approved."]
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: "approved",
        second.pk: "pending",
        third.pk: "approved",
    }
    logged = ModerationLogEntry.objects.filter(action="approve", user=moderator)
    assert sorted(logged.values_list("comment_ref", flat=True)) == [first.pk, third.pk]


def test_bulk_form_has_a_checkbox_per_row_a_select_all_and_the_queue_buttons(
    mod_client, article
):
    comments = [pending(article) for _ in range(3)]
    page = soup_of(mod_client.get(QUEUE))
    form = page.select_one("form#bulk-moderation")
    assert form["method"] == "post" and form["action"] == f"{QUEUE}bulk/"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert buttons(form) == ["Approve", "Spam", "Trash"]
    boxes = page.select("input[type=checkbox][name=comment][form=bulk-moderation]")
    assert [int(box["value"]) for box in boxes] == [c.pk for c in reversed(comments)]
    assert page.select_one("thead input[type=checkbox][data-w-bulk-target=all]")
    do_moderate_comment(comments[0], "spam")
    spam = soup_of(mod_client.get(f"{QUEUE}?status=spam"))
    assert buttons(spam.select_one("form#bulk-moderation")) == [
        "Approve",
        "Trash",
        "Delete permanently",
    ]


def test_bulk_with_nothing_selected_says_so(mod_client, article):
    comment = pending(article)
    response = bulk(mod_client, "spam", [])
    assert response.status_code == 302
    assert messages_after(mod_client, response) == [
        "Select at least one comment first."
    ]
    assert Comment.objects.get().status == comment.status


def test_bulk_refuses_comments_moved_since_the_page_was_loaded(mod_client, article):
    stays, moved = pending(article), pending(article)
    do_moderate_comment(moved, "approve")
    response = bulk(mod_client, "trash", [stays, moved])
    assert "Another moderator has moved" in messages_after(mod_client, response)[0]
    assert set(Comment.objects.values_list("status", flat=True)) == {
        "pending",
        "approved",
    }


def test_bulk_delete_permanently_from_spam_and_trash(mod_client, moderator, article):
    parent = pending(article, body=HOSTILE)
    reply = pending(article, parent=parent)
    kept = pending(article)
    for comment in [parent, reply, kept]:
        do_moderate_comment(comment, "trash")
    response = bulk(mod_client, "delete", [parent, reply], queue="trash")
    assert messages_after(mod_client, response) == ["2 comments deleted permanently."]
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    deleted = ModerationLogEntry.objects.filter(action="delete", user=moderator)
    assert sorted(deleted.values_list("comment_ref", flat=True)) == sorted(
        [parent.pk, reply.pk]
    )


def test_bulk_delete_is_refused_outside_spam_and_trash(mod_client, article):
    comment = pending(article)
    response = bulk(mod_client, "delete", [comment], queue="pending")
    assert messages_after(mod_client, response) == [
        "Only spam and trash can be deleted."
    ]
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_bulk_delete_needs_the_delete_permission(client, django_user_model, article):
    comment = pending(article)
    do_moderate_comment(comment, "spam")
    user = django_user_model.objects.create_user("approver", password="pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="dateline_comments", codename="change_comment"
        ),
    )
    client.force_login(user)
    page = soup_of(client.get(f"{QUEUE}?status=spam"))
    assert "Delete permanently" not in buttons(page.select_one("#bulk-moderation"))
    response = bulk(client, "delete", [comment], queue="spam")
    assert response.status_code in (302, 403)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_bulk_actions_need_a_csrf_token(moderator, article):
    comment = pending(article)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    assert bulk(strict, "approve", [comment]).status_code == 403
    assert strict.post(f"{QUEUE}{comment.pk}/approve/").status_code == 403
    assert Comment.objects.get().status == Comment.Status.PENDING


# Editing a comment


def test_edit_a_comment_keeps_the_old_text_in_the_log(mod_client, moderator, article):
    comment = pending(article, body="Teh council is wrong.")
    back = f"{QUEUE}?status=pending&commenter=reader"
    edit_url = f"{QUEUE}{comment.pk}/edit/?{urlencode({'next': back})}"
    page = soup_of(mod_client.get(edit_url))
    textarea = page.select_one("textarea[name=body]")
    assert textarea.get_text().strip() == "Teh council is wrong."
    assert textarea["maxlength"] == "5000"
    assert page.select_one("input[name=next]")["value"] == back

    response = mod_client.post(
        edit_url, {"body": "The council is wrong.", "next": back}
    )
    assert response["Location"] == back
    assert messages_after(mod_client, response) == [
        f"Comment by {comment.name} edited."
    ]
    comment.refresh_from_db()
    assert comment.body == "The council is wrong."
    assert comment.edited_at is not None
    entry = ModerationLogEntry.objects.get(action="edit")
    assert entry.user == moderator
    assert "Teh council is wrong." in entry.detail
    edited = row(mod_client.get(QUEUE), comment).select_one(".comment-queue__edited")
    assert edited.get_text(" ").startswith("Edited ")
    again = soup_of(mod_client.get(edit_url)).select_one(".comment-queue__edited")
    assert "Last edited" in again.get_text()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "This field is required."),
        ("x" * 5001, "Ensure this value has at most 5000 characters (it has 5001)."),
    ],
)
def test_edit_refuses_empty_or_too_long_text(mod_client, article, body, error):
    comment = pending(article, body="Original")
    response = mod_client.post(f"{QUEUE}{comment.pk}/edit/", {"body": body})
    assert error in soup_of(response).select_one(".error-message").get_text()
    comment.refresh_from_db()
    assert comment.body == "Original" and comment.edited_at is None
    assert not ModerationLogEntry.objects.filter(action="edit").exists()


def test_saving_an_unchanged_comment_records_nothing(mod_client, article):
    comment = pending(article, body="Original")
    response = mod_client.post(f"{QUEUE}{comment.pk}/edit/", {"body": "Original"})
    assert response["Location"] == QUEUE
    assert messages_after(mod_client, response) == [
        f"Comment by {comment.name} left as it was."
    ]
    comment.refresh_from_db()
    assert comment.edited_at is None
    assert not ModerationLogEntry.objects.filter(action="edit").exists()


def test_edit_of_a_missing_comment_is_404(mod_client):
    assert mod_client.get(f"{QUEUE}999999/edit/").status_code == 404


# Bans


def test_ban_a_commenter_then_lift_the_ban(mod_client, moderator, article):
    comment = pending(article, email="troll@readers.example")
    form = soup_of(mod_client.get(f"{QUEUE}bans/?email=troll%40readers.example"))
    assert form.select_one("input[name=email]")["value"] == "troll@readers.example"
    assert form.select_one("input[name=until]")["type"] == "datetime-local"

    until = timezone.localtime() + timedelta(days=7)
    response = mod_client.post(
        f"{QUEUE}bans/",
        {
            "email": " Troll@Readers.example ",
            "until": until.strftime("%Y-%m-%dT%H:%M"),
            "reason": "Abuse, <again>",
        },
    )
    assert messages_after(mod_client, response) == [
        "troll@readers.example can no longer comment; 1 waiting comment moved to Spam."
    ]
    ban = CommenterBan.objects.get()
    assert (ban.email, ban.reason, ban.created_by) == (
        "troll@readers.example",
        "Abuse, <again>",
        moderator,
    )
    assert ban.until == until.replace(second=0, microsecond=0)
    assert ModerationLogEntry.objects.get(action="ban").comment == comment

    listing = mod_client.get(f"{QUEUE}bans/")
    banned = soup_of(listing).select_one(f"#ban-{ban.pk}")
    assert "troll@readers.example" in banned.get_text()
    assert "Abuse, &lt;again&gt;" in listing.content.decode()
    lift = banned.select_one("form")
    assert lift["method"] == "post" and lift.select_one("[name=csrfmiddlewaretoken]")
    response = mod_client.post(lift["action"])
    assert messages_after(mod_client, response) == [
        "The ban on troll@readers.example is lifted."
    ]
    assert not CommenterBan.objects.exists()
    lifted = ModerationLogEntry.objects.get(action="lift_ban")
    assert (lifted.comment, lifted.user) == (comment, moderator)


def test_lifting_the_ban_of_someone_without_comments_just_deletes_it(
    mod_client, moderator
):
    ban = CommenterBan.objects.create(
        email="never@posted.example", created_by=moderator
    )
    mod_client.post(f"{QUEUE}bans/{ban.pk}/lift/")
    assert not CommenterBan.objects.exists()
    assert not ModerationLogEntry.objects.exists()


def test_ban_list_shows_current_bans_only(mod_client):
    now = timezone.now()
    current = CommenterBan.objects.create(email="a@readers.example")
    later = CommenterBan.objects.create(
        email="b@readers.example", until=now + timedelta(days=1)
    )
    CommenterBan.objects.create(email="c@readers.example", until=now)
    page = soup_of(mod_client.get(f"{QUEUE}bans/"))
    assert [tr["id"] for tr in page.select("table.comment-bans tbody tr")] == [
        f"ban-{later.pk}",
        f"ban-{current.pk}",
    ]
    assert "Permanent" in page.select_one(f"#ban-{current.pk}").get_text()


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        (
            {"email": "x@readers.example", "until": "2001-01-01T10:00"},
            "until",
            "The end of a ban must be in the future.",
        ),
    ],
)
def test_ban_form_refuses_bad_input(mod_client, data, field, error):
    response = mod_client.post(f"{QUEUE}bans/", data)
    page = soup_of(response)
    assert error in page.select_one(".error-message").get_text()
    assert page.select_one(f"[name={field}]")
    assert not CommenterBan.objects.exists()


def test_lifting_a_ban_needs_post(mod_client):
    ban = CommenterBan.objects.create(email="a@readers.example")
    assert mod_client.get(f"{QUEUE}bans/{ban.pk}/lift/").status_code == 405
    assert CommenterBan.objects.exists()


# The moderation log


def log_rows(response):
    return soup_of(response).select("table.comment-log tbody tr")


def test_log_lists_what_was_done_newest_first(mod_client, moderator, article):
    kept = pending(article, body=HOSTILE)
    do_edit_comment(kept, "Fixed", moderator=moderator)
    gone = pending(article, name="Spammer", body=f"Buy {HOSTILE}")
    do_moderate_comment(gone, "trash", moderator=moderator)
    mod_client.post(
        f"{QUEUE}bulk/", {"action": "delete", "queue": "trash", "comment": [gone.pk]}
    )
    response = mod_client.get(f"{QUEUE}log/")
    html = response.content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    cells = [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in log_rows(response)
    ]
    assert [(who, action, number) for _when, who, action, number, _ in cells] == [
        ("moderator", "Deleted", f"#{gone.pk} (deleted)"),
        ("moderator", "Moved to the trash", f"#{gone.pk} (deleted)"),
        ("moderator", "Edited", f"#{kept.pk}"),
    ]
    assert cells[2][4].startswith("Previous text:")
    link = log_rows(response)[2].select_one("a")["href"]
    assert parse_qs(urlsplit(link).query) == {
        "status": ["pending"],
        "comment": [str(kept.pk)],
    }
    assert row_ids(mod_client.get(link)) == [kept.pk]


def test_log_filters_by_comment_number_and_moderator(
    mod_client, moderator, django_user_model, article
):
    other = django_user_model.objects.create_user("other", password="pw")
    first, second = pending(article), pending(article)
    do_moderate_comment(first, "approve", moderator=moderator)
    do_moderate_comment(second, "spam", moderator=other)
    do_moderate_comment(second, "trash", moderator=moderator)

    def actions(**query):
        rows = log_rows(mod_client.get(f"{QUEUE}log/", query))
        return [tr.select("td")[2].get_text() for tr in rows]

    assert actions(comment=second.pk) == ["Moved to the trash", "Marked as spam"]
    assert actions(user=other.pk) == ["Marked as spam"]
    assert actions(user=moderator.pk, comment=second.pk) == ["Moved to the trash"]
    choices = soup_of(mod_client.get(f"{QUEUE}log/")).select("select[name=user] option")
    assert [o.get_text() for o in choices] == ["Anyone", "moderator", "other"]


def test_log_is_paginated(mod_client, moderator, article, django_assert_num_queries):
    comment = pending(article)
    for _ in range(3):
        do_moderate_comment(comment, "approve", moderator=moderator)
    with CaptureQueriesContext(connection) as baseline:
        mod_client.get(f"{QUEUE}log/")
    for _ in range(60):
        do_moderate_comment(comment, "approve", moderator=moderator)
    with django_assert_num_queries(len(baseline)):
        response = mod_client.get(f"{QUEUE}log/")
    assert len(log_rows(response)) == 50
    assert len(log_rows(mod_client.get(f"{QUEUE}log/?p=2"))) == 13


# Permissions


def test_moderators_moderate_comments_and_nothing_else(mod_client, article):
    from wagtail.models import Site

    assert mod_client.get(QUEUE).status_code == 200
    assert mod_client.get(f"{QUEUE}bans/").status_code == 200
    assert mod_client.get(f"{QUEUE}log/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    refused = [
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.section_id}/edit/",
        f"/admin/pages/add/dateline_newsroom/articlepage/{article.section_id}/",
        "/admin/snippets/dateline_newsroom/author/",
        "/admin/snippets/dateline_newsroom/author/add/",
        "/admin/images/add/",
        "/admin/documents/add/",
        f"/admin/settings/dateline_newsroom/outletsettings/{site.pk}/",
        f"/admin/settings/dateline_comments/commentsettings/{site.pk}/",
        "/admin/users/",
        "/admin/groups/",
    ]
    for path in refused:
        response = mod_client.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", "/admin/login/"), path


def test_moderators_are_not_the_approvers_of_page_workflows(
    mod_client, django_user_model, article
):
    chief = django_user_model.objects.create_superuser("chief", password="pw")
    workflow = article.get_workflow()
    assert workflow is not None
    workflow.start(article, chief)
    assert mod_client.get(f"/admin/pages/{article.pk}/edit/").status_code == 302


def test_staff_without_the_group_cannot_reach_the_moderation_pages(
    client, django_user_model, article
):
    comment = pending(article)
    ban = CommenterBan.objects.create(email="a@readers.example")
    staff = django_user_model.objects.create_user(
        "writer", password="pw", is_staff=True
    )
    staff.groups.add(Group.objects.get(name="Reporters"))
    client.force_login(staff)
    for path in [QUEUE, f"{QUEUE}{comment.pk}/edit/", f"{QUEUE}bans/", f"{QUEUE}log/"]:
        assert client.get(path).status_code in (302, 403), path
    posts = [
        (
            f"{QUEUE}bulk/",
            {"action": "approve", "queue": "pending", "comment": [comment.pk]},
        ),
        (f"{QUEUE}{comment.pk}/edit/", {"body": "Changed"}),
        (f"{QUEUE}bans/", {"email": "b@readers.example"}),
        (f"{QUEUE}bans/{ban.pk}/lift/", {}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code in (302, 403), path
    comment.refresh_from_db()
    assert (comment.status, comment.body) != ("approved", "Changed")
    assert comment.status == "pending" and comment.body != "Changed"
    assert list(CommenterBan.objects.values_list("email", flat=True)) == [
        "a@readers.example"
    ]
