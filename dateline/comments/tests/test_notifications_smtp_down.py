"""A mail server that is away never fails a reader's request: the confirmation e-mail
is queued, retried by the worker, and arrives once the server is back."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dateline.comments.models import Comment
from dateline.testing.factories import make_article
from dateline.testing.tasks import run_tasks

from .helpers import post

pytestmark = pytest.mark.django_db


def confirmations():
    return DBTaskResult.objects.filter(task_path__endswith=".send_confirmation")


def test_reader_sees_success_while_the_mail_server_is_down(client, smtp_away):
    article = make_article(title="Bridge closed")
    response = post(client, article, notify_replies="on", body="Until when?")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Your comment is awaiting moderation" in page.content.decode()
    assert Comment.objects.filter(body="Until when?").count() == 1
    assert confirmations().filter(status="READY").count() == 1

    # The worker tries while the server is still away: the send waits for later.
    run_tasks()
    [retry] = confirmations().filter(status="READY")
    assert retry.run_after > timezone.now() - timedelta(seconds=1)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}

    with smtp_away as server:
        deadline = time.monotonic() + 30
        while not server.messages:
            assert time.monotonic() < deadline, "the e-mail never arrived"
            run_tasks()
            time.sleep(0.2)
        run_tasks()  # nothing is left to send twice
        email = Comment.objects.get().email
        mails = [m for m in server.messages if m.rcpt_tos == [email]]
    assert len(mails) == 1
    assert not confirmations().filter(status="READY").exists()
    assert mails[0].subject == "Confirm reply notifications for your comment"
    assert "Bridge closed" in mails[0].body
