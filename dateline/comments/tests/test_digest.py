from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from wagtail.models import GroupPagePermission, Site

from dateline.comments.actions import do_moderate_comment
from dateline.comments.digest import send_desk_digests, send_pending_digest
from dateline.comments.models import Comment, CommentSettings
from dateline.testing.factories import make_article, make_comment, make_section

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script><a href="https://evil.example/">win</a>'


@pytest.fixture
def site():
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def digest_on(site):
    rules = CommentSettings.for_site(site)
    rules.digest_enabled = True
    rules.save()
    return rules


@pytest.fixture
def moderators(django_user_model):
    group = Group.objects.get(name="Moderators")
    made = []
    for name, active in [("hina", True), ("omar", True), ("gone", False)]:
        user = django_user_model.objects.create_user(
            name, email=f"{name}@newsroom.example", is_active=active
        )
        user.groups.add(group)
        made.append(user)
    django_user_model.objects.create_superuser("chief", email="Chief@newsroom.example")
    django_user_model.objects.create_user("writer", email="writer@newsroom.example")
    django_user_model.objects.create_user("nomail", email="").groups.add(group)
    return made


def pending(article, **fields):
    return make_comment(article, approved=False, **fields)


def test_digest_lists_pending_comments_to_every_moderator(
    smtp_server, settings, digest_on, moderators
):
    settings.WAGTAILADMIN_BASE_URL = "https://cms.gazette.example/"
    water = make_article(title="Water plan for the capital")
    budget = make_article(title="Budget day")
    pending(water, name="Hina Baig", body="When will the works start in G-9?")
    pending(budget, name="Spammer <b>", body=HOSTILE)
    pending(water, name="Omar", body="Good news.\nAt last.")
    make_comment(water, name="Approved Reader", body="Already public")
    do_moderate_comment(pending(water, name="Trashed", body="Rubbish"), "trash")

    assert send_pending_digest() == 3

    [mail] = smtp_server.messages
    assert sorted(mail.rcpt_tos) == [
        "chief@newsroom.example",
        "hina@newsroom.example",
        "omar@newsroom.example",
    ]
    assert mail.subject == "3 comments are waiting for moderation on localhost"
    body = mail.body
    for text in [
        "Water plan for the capital",
        "Budget day",
        "Hina Baig",
        "When will the works start in G-9?",
        "Good news. At last.",
        "https://cms.gazette.example/admin/reader-comments/",
    ]:
        assert text in body
    assert "Already public" not in body and "Rubbish" not in body
    # Plain text only: a comment's markup is never rendered as HTML.
    assert mail.message.get_content_type() == "text/plain"
    assert not mail.message.is_multipart()
    assert HOSTILE in body and "Spammer <b>" in body


def test_digest_goes_to_the_addresses_in_settings_when_given(
    smtp_server, digest_on, moderators
):
    digest_on.digest_recipients = "Desk@Gazette.example\n\n  night@gazette.example \n"
    digest_on.save()
    pending(make_article())
    assert send_pending_digest() == 1
    [mail] = smtp_server.messages
    assert sorted(mail.rcpt_tos) == ["desk@gazette.example", "night@gazette.example"]
    assert mail.subject == "1 comment is waiting for moderation on localhost"


def test_digest_shows_the_first_200_characters(smtp_server, digest_on, moderators):
    text = "a" * 199 + "bc" + "z" * 100
    pending(make_article(), body=text)
    send_pending_digest()
    lines = [line.strip() for line in smtp_server.messages[0].body.splitlines()]
    assert "a" * 199 + "b…" in lines
    assert not any("bc" in line for line in lines)


def test_digest_says_how_long_comments_have_waited(smtp_server, digest_on, moderators):
    comment = pending(make_article(), name="Hina")
    now = comment.created_at + timedelta(hours=3)
    send_pending_digest(now=now)
    assert "Hina, waiting 3\xa0hours" in smtp_server.messages[0].body


def test_no_digest_when_it_is_off_or_nothing_waits(smtp_server, site, moderators):
    article = make_article()
    pending(article)
    assert send_pending_digest(site) == 0
    rules = CommentSettings.for_site(site)
    rules.digest_enabled = True
    rules.save()
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert send_pending_digest(site) == 0
    assert smtp_server.messages == []


def test_digest_lists_only_the_sites_own_comments(smtp_server, digest_on, moderators):
    from wagtail.models import Page

    other_root = Page.get_first_root_node().add_child(
        instance=Page(title="Other outlet", slug="other-outlet")
    )
    other_site = Site.objects.create(hostname="other.example", root_page=other_root)
    pending(make_article(title="Ours"), body="On our site")
    assert send_pending_digest(other_site) == 0
    assert send_pending_digest() == 1
    assert "On our site" in smtp_server.messages[0].body


def run_command():
    out = StringIO()
    call_command("send_comment_digest", stdout=out)
    return out.getvalue().strip()


def test_command_reports_what_it_did(smtp_server, site, moderators):
    article = make_article()
    for _ in range(3):
        pending(article)
    assert run_command() == "Digest is off in Settings › Comments."
    rules = CommentSettings.for_site(site)
    rules.digest_enabled = True
    rules.digest_recipients = "desk@gazette.example\nnight@gazette.example"
    rules.save()
    assert run_command() == "Sent a digest of 3 pending comments to 2 moderators."
    assert len(smtp_server.messages) == 1
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert run_command() == "No pending comments; no digest sent."
    assert len(smtp_server.messages) == 1


def test_command_fails_when_no_one_can_receive_the_digest(smtp_server, digest_on):
    pending(make_article())
    with pytest.raises(CommandError, match="No one to send the digest to"):
        run_command()
    assert smtp_server.messages == []


@pytest.fixture
def business_editor(django_user_model):
    """An Editor who may publish under Business only (their desk)."""
    business = make_section("Business")
    group = Group.objects.create(name="Business desk")
    GroupPagePermission.objects.create(
        group=group,
        page=business,
        permission=Permission.objects.get(
            codename="publish_page", content_type__app_label="wagtailcore"
        ),
    )
    user = django_user_model.objects.create_user("bea", email="Bea@newsroom.example")
    user.groups.add(group)
    return user, business


def test_desk_editors_get_their_own_desks_comments(
    smtp_server, digest_on, moderators, business_editor
):
    editor, business = business_editor
    pending(make_article(business, title="Markets rally"), body="Stocks are up")
    world = make_section("World")
    pending(make_article(world, title="Summit opens"), body="Not on Bea's desk")

    assert run_command().splitlines() == [
        "Sent 1 desk editor the comments on their desk's stories.",
        "Sent a digest of 2 pending comments to 3 moderators.",
    ]

    desk = [mail for mail in smtp_server.messages if mail.rcpt_tos == [editor.email]]
    assert [mail.subject for mail in desk] == [
        "1 comment on your desk's stories is waiting for moderation on localhost"
    ]
    assert "Stocks are up" in desk[0].body and "Markets rally" in desk[0].body
    assert "Not on Bea's desk" not in desk[0].body
    [whole] = [mail for mail in smtp_server.messages if mail not in desk]
    assert "bea@newsroom.example" not in [a.lower() for a in whole.rcpt_tos]
    assert "Not on Bea's desk" in whole.body


def test_no_desk_digest_when_editors_do_not_moderate(
    smtp_server, digest_on, moderators, business_editor
):
    editor, business = business_editor
    pending(make_article(business))
    digest_on.editors_moderate = False
    digest_on.save()
    assert send_desk_digests() == 0
    digest_on.editors_moderate = True
    digest_on.save()
    assert send_desk_digests() == 1
    # The same slot's digest is not sent twice (the worker's task run again).
    assert send_desk_digests(once_key="slot-1") == 1
    assert send_desk_digests(once_key="slot-1") == 0
    assert len([m for m in smtp_server.messages if m.rcpt_tos == [editor.email]]) == 2
