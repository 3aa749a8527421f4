"""Editors moderate their desk's comments; bans by e-mail, network or name take a
commenter's waiting comments out of the queue; the queue's shortcuts and count; the
dashboard's counts and the menu's badge."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import GroupPagePermission

from dateline.comments import conf
from dateline.comments.actions import do_ban_commenter, do_report_comment
from dateline.comments.models import Comment, CommenterBan
from dateline.testing.factories import make_article, make_comment, make_section

from .helpers import post, rules

pytestmark = pytest.mark.django_db

QUEUE = "/admin/reader-comments/"


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def desks():
    business, world = make_section("Business"), make_section("World")
    return (
        make_article(business, title="Markets rally"),
        make_article(world, title="Summit opens"),
    )


@pytest.fixture
def business_editor(django_user_model, desks):
    """An Editor of the Business desk only: they may publish under Business."""
    group = Group.objects.create(name="Business desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=desks[0].get_parent(),
        permission=Permission.objects.get(
            codename="publish_page", content_type__app_label="wagtailcore"
        ),
    )
    user = django_user_model.objects.create_user("bea", password="pw")
    user.groups.add(group)
    return user


def test_editor_moderates_the_comments_on_their_desk_only(
    client, business_editor, desks
):
    business, world = desks
    mine = make_comment(business, approved=False, name="On business")
    theirs = make_comment(world, approved=False, name="On world")
    client.force_login(business_editor)
    queue = soup(client.get(QUEUE)).select_one("table.comment-queue").get_text()
    assert "On business" in queue and "On world" not in queue

    client.post(f"{QUEUE}{mine.pk}/approve/")
    assert Comment.objects.get(pk=mine.pk).status == Comment.Status.APPROVED
    assert client.post(f"{QUEUE}{theirs.pk}/approve/").status_code == 404
    bulk = client.post(
        f"{QUEUE}bulk/", {"queue": "pending", "action": "spam", "comment": theirs.pk}
    )
    assert bulk.status_code == 302
    assert Comment.objects.get(pk=theirs.pk).status == Comment.Status.PENDING
    assert client.get(f"{QUEUE}{theirs.pk}/edit/").status_code == 404


def test_administrators_can_turn_editors_moderation_off(client, business_editor, desks):
    make_comment(desks[0], approved=False)
    rules(editors_moderate=False)
    client.force_login(business_editor)
    refused = client.get(QUEUE)  # Wagtail sends a refused user to the dashboard
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert "Comments" not in menu_labels(client)
    rules(editors_moderate=True)
    assert client.get(QUEUE).status_code == 200
    assert "Comments" in menu_labels(client)


def sidebar_items(client):
    page = soup(client.get("/admin/"))
    props = json.loads(page.select_one("#wagtail-sidebar-props").get_text())
    main = next(m for m in props["modules"] if m["_type"].endswith("MainMenuModule"))
    return main["_args"][0]


def menu_labels(client):
    return [item["_args"][0]["label"] for item in sidebar_items(client)]


def test_menu_badge_and_dashboard_count_what_waits(client, django_user_model, desks):
    moderator = django_user_model.objects.create_user("mo", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    for _ in range(3):
        make_comment(desks[1], approved=False)
    reported = make_comment(desks[0])
    do_report_comment(reported, "abuse")
    client.force_login(moderator)
    comments = next(
        item["_args"][0]
        for item in sidebar_items(client)
        if item["_args"][0]["label"] == "Comments"
    )
    assert comments["attrs"]["data-pending-count"] == "3"
    assert comments["attrs"]["aria-label"] == "Comments, 3 waiting"
    panel = soup(client.get("/admin/")).select_one("#reader-comments-section")
    text = " ".join(panel.get_text().split())
    assert "3 comments waiting for moderation" in text
    assert "1 reported comment" in text


def test_dashboard_queries_stay_flat_as_comments_wait(
    client, django_user_model, desks, django_assert_num_queries
):
    moderator = django_user_model.objects.create_user("mo", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    make_comment(desks[0], approved=False)
    client.force_login(moderator)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    for _ in range(6):
        do_report_comment(make_comment(desks[1]), "spam")
        make_comment(desks[0], approved=False)
    with django_assert_num_queries(len(few)):
        client.get("/admin/")


def test_network_ban_lasts_no_longer_than_addresses_are_kept(desks):
    now = timezone.now()
    ban = do_ban_commenter(
        network="203.0.113.0/24", until=now + timedelta(days=999), now=now
    )
    assert ban.until == now + timedelta(days=conf.ip_retention_days())
    forever = do_ban_commenter(network="198.51.100.7/32", now=now)
    assert forever.until == now + timedelta(days=conf.ip_retention_days())


def test_ban_moves_waiting_comments_to_the_chosen_queue(desks):
    troll = [
        make_comment(desks[0], approved=False, ip_address="203.0.113.9"),
        make_comment(desks[1], approved=False, ip_address="203.0.113.200"),
    ]
    approved = make_comment(desks[0], ip_address="203.0.113.10")
    other = make_comment(desks[0], approved=False, ip_address="198.51.100.1")
    ban = do_ban_commenter(network="203.0.113.0/24", pending_to="trash")
    assert ban.comments_moved == 2
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in troll] == ["trash", "trash"]
    assert statuses[approved.pk] == "approved"
    assert statuses[other.pk] == "pending"


def test_name_pattern_ban_from_the_admin(client, django_user_model, desks):
    moderator = django_user_model.objects.create_user("mo", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    spam = make_comment(desks[0], approved=False, name="Best CASINO bonus")
    keep = make_comment(desks[0], approved=False, name="Casey")
    client.force_login(moderator)
    response = client.post(
        f"{QUEUE}bans/", {"name_pattern": "*casino*", "pending_to": "spam"}
    )
    assert response.status_code == 302
    assert CommenterBan.objects.get().name_pattern == "*casino*"
    assert Comment.objects.get(pk=spam.pk).status == "spam"
    assert Comment.objects.get(pk=keep.pk).status == "pending"
    listing = soup(client.get(f"{QUEUE}bans/")).select_one("table.comment-bans")
    assert "Name: *casino*" in listing.get_text()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "email", "Give one of an e-mail"),
        ({"email": "a@b.example", "name_pattern": "*spam*"}, "email", "Give one of"),
        ({"network": "10.0.0.0/8"}, "network", "too wide"),
        ({"network": "not-an-ip"}, "network", "Enter an IP address"),
        ({"name_pattern": "*a*"}, "name_pattern", "at least three letters"),
    ],
)
def test_a_bad_ban_comes_back_with_the_message_at_the_field(
    client, django_user_model, data, field, message
):
    moderator = django_user_model.objects.create_user("mo", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    page = soup(client.post(f"{QUEUE}bans/", data))
    assert (
        message
        in page.select_one(f"#id_{field}")
        .find_parent(class_="w-field__wrapper")
        .get_text()
    )
    assert not CommenterBan.objects.exists()


@pytest.mark.parametrize(
    "ban",
    [
        {"email": "hina.private@readers.example"},
        {"network": "127.0.0.0/24"},
        {"name_pattern": "hina*"},
    ],
)
def test_a_banned_readers_new_comment_is_refused(client, desks, ban):
    do_ban_commenter(**ban)
    response = post(client, desks[0])
    assert response.status_code == 403
    assert "You can no longer comment on this site." in response.content.decode()
    assert not Comment.objects.exists()


def test_queue_shows_what_is_left_and_its_shortcuts(client, django_user_model, desks):
    moderator = django_user_model.objects.create_user("mo", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    for _ in range(2):
        make_comment(desks[0], approved=False)
    client.force_login(moderator)
    page = soup(client.get(QUEUE))
    assert page.select_one("#comment-queue-left").get_text() == (
        "2 comments left in this queue."
    )
    legend = page.select_one(".comment-keys").get_text(" ", strip=True)
    for key in ["j next comment", "a approve", "s spam", "t trash"]:
        assert key in legend
    script = page.find("script", src=lambda src: src and "queue_keys" in src)
    assert script is not None and not script.string
