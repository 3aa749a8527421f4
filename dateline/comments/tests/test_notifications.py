"""Reply notifications, end to end through a real SMTP server."""

import re
from urllib.parse import urlsplit

import pytest

from dateline.comments.actions import do_moderate_comment
from dateline.comments.models import Comment
from dateline.testing.factories import make_article
from dateline.testing.tasks import run_tasks

from .helpers import post, rules

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def article():
    return make_article(title="Rail link reopens")


def link_in(text, marker):
    url = re.search(rf"https?://\S*{marker}\S*", text).group(0)
    return urlsplit(url).path


def subscribe(client, smtp_server, article, email="asma@readers.example"):
    post(client, article, name="Asma", email=email, body="When?", notify_replies="on")
    comment = Comment.objects.get(email=email)
    do_moderate_comment(comment, "approve")
    run_tasks()
    [mail] = [m for m in smtp_server.messages if email in m.rcpt_tos]
    return comment, mail


def test_opt_in_needs_the_signed_confirmation_link(
    client, smtp_server, article, django_capture_on_commit_callbacks
):
    comment, mail = subscribe(client, smtp_server, article)
    assert mail.subject == "Confirm reply notifications for your comment"
    assert "Rail link reopens" in mail.body
    assert Comment.objects.get(pk=comment.pk).notify_confirmed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            article,
            name="Bilal",
            email="b@r.example",
            body="Next month.",
            parent=comment.pk,
        )
        do_moderate_comment(Comment.objects.get(name="Bilal"), "approve")
    run_tasks()
    assert len(smtp_server.messages) == 1  # not confirmed: no reply e-mail

    response = client.get(link_in(mail.body, "/comments/notify/confirm/"))
    assert response.status_code == 200
    assert b"Confirmed" in response.content
    assert Comment.objects.get(pk=comment.pk).notify_confirmed_at is not None


def test_confirmed_commenter_gets_each_reply_once_and_can_unsubscribe(
    client, smtp_server, article, django_capture_on_commit_callbacks
):
    rules(moderation_mode="hold")
    comment, mail = subscribe(client, smtp_server, article)
    client.get(link_in(mail.body, "/comments/notify/confirm/"))

    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            article,
            name="Bilal",
            email="b@r.example",
            body="Next month, <b>they say</b>.",
            parent=comment.pk,
        )
        reply = Comment.objects.get(name="Bilal")
        do_moderate_comment(reply, "approve")
        do_moderate_comment(reply, "pending")
        do_moderate_comment(reply, "approve")
    run_tasks()
    notices = [
        m for m in smtp_server.messages if m.subject == "Bilal replied to your comment"
    ]
    assert len(notices) == 1
    notice = notices[0]
    assert notice.rcpt_tos == ["asma@readers.example"]
    assert "Next month, <b>they say</b>." in notice.body
    assert f"#comment-{reply.pk}" in notice.body
    assert notice.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = link_in(notice.body, "/comments/notify/unsubscribe/")
    assert unsubscribe in notice.message["List-Unsubscribe"]
    assert "b@r.example" not in notice.body  # the replier's address stays private

    page = client.get(unsubscribe)
    assert b"Unsubscribe" in page.content
    assert Comment.objects.get(pk=comment.pk).notify_replies  # GET changes nothing
    assert client.post(unsubscribe).status_code == 200  # the mail client's one click
    assert not Comment.objects.get(pk=comment.pk).notify_replies

    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            article,
            name="Chen",
            email="c@r.example",
            body="Good news.",
            parent=comment.pk,
        )
        do_moderate_comment(Comment.objects.get(name="Chen"), "approve")
    run_tasks()
    assert not [
        m for m in smtp_server.messages if m.subject == "Chen replied to your comment"
    ]
