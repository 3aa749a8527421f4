"""Every e-mail leaves the request, Django's and Wagtail's too: the site's backend
queues it, and the worker sends it once the mail server answers."""

import time

import pytest
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db


def test_a_password_reset_with_the_mail_server_down_is_sent_later_once(
    client, smtp_away
):
    get_user_model().objects.create_user("editor", "editor@newsroom.example", "pw")
    response = client.post(
        "/admin/password_reset/", {"email": "editor@newsroom.example"}, follow=True
    )
    assert response.status_code == 200
    assert b"Check your email" in response.content
    queued = DBTaskResult.objects.filter(task_path="dateline.worker.tasks.send_email")
    assert queued.count() == 1

    run_tasks()  # the server is still away: tried, and queued again for later
    assert queued.filter(status="READY").count() == 1

    with smtp_away as server:
        deadline = time.monotonic() + 30
        while not server.messages:
            assert time.monotonic() < deadline, "the e-mail never arrived"
            run_tasks()
            time.sleep(0.2)
        run_tasks()
        messages = server.messages
    assert len(messages) == 1
    assert messages[0].rcpt_tos == ["editor@newsroom.example"]
    assert "/admin/password_reset/" in messages[0].body
    assert not queued.filter(status="READY").exists()
