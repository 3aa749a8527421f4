"""Webhooks: signed POSTs to a real local server, retries with backoff, and nothing
said about a story before readers may see it."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dateline.newsroom.actions import do_publish_article, do_retract_article
from dateline.newsroom.models import ArticleCorrection
from dateline.syndication.models import Webhook, WebhookDelivery
from dateline.syndication.webhooks import deliver_due_webhooks
from dateline.testing.factories import make_article, make_section
from dateline.testing.tasks import run_tasks

SECRET = "s3cret"


class Receiver(ThreadingHTTPServer):
    """Records every request; answers with the statuses queued in ``answers``."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests, self.answers = [], []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((dict(self.headers), body))
        status = self.server.answers.pop(0) if self.server.answers else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def webhook(db, receiver):
    return Webhook.objects.create(name="Partner", url=receiver.url, secret=SECRET)


def events(receiver):
    return [json.loads(body)["event"] for _, body in receiver.requests]


def test_publish_is_posted_signed(webhook, receiver):
    article = make_article(make_section(), title="Floods")
    assert str(deliver_due_webhooks()) == "Delivered 1, failed 0, waiting 0."
    [(headers, body)] = receiver.requests
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Dateline-Signature"] == f"sha256={expected}"
    assert headers["X-Dateline-Event"] == "publish"
    data = json.loads(body)
    assert data["event"] == "publish"
    assert data["article"]["id"] == article.pk
    assert data["article"]["title"] == "Floods"
    assert data["article"]["api_url"].endswith(f"/api/v1/articles/{article.pk}/")
    assert "@" not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_update_correction_and_unpublish_events(webhook, receiver):
    article = make_article(make_section())
    deliver_due_webhooks()
    article.title = "New title"
    article = do_publish_article(article)
    deliver_due_webhooks()
    ArticleCorrection.objects.create(page=article, kind="correction", text="Fixed.")
    article = do_publish_article(article)
    deliver_due_webhooks()
    do_retract_article(article, reason="Legal")
    deliver_due_webhooks()
    assert events(receiver) == ["publish", "update", "correction", "unpublish"]


def test_story_taken_down_before_delivery_is_not_announced(webhook, receiver):
    article = make_article(make_section())
    do_retract_article(article, reason="Legal")
    deliver_due_webhooks()
    assert events(receiver) == ["unpublish"]
    publish = WebhookDelivery.objects.get(event="publish")
    assert (publish.status, publish.last_error) == ("failed", "No longer published.")


def test_failure_retries_with_backoff_then_gives_up(webhook, receiver):
    receiver.answers = [500] * 8
    make_article(make_section())
    now = timezone.now()
    assert str(deliver_due_webhooks(now=now)) == "Delivered 0, failed 0, waiting 1."
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == now + timedelta(minutes=1)
    # Not due yet: nothing is sent.
    deliver_due_webhooks(now=now + timedelta(seconds=30))
    assert len(receiver.requests) == 1
    for attempt in range(2, 9):
        now = WebhookDelivery.objects.get().next_attempt_at
        deliver_due_webhooks(now=now)
        delivery = WebhookDelivery.objects.get()
        assert delivery.attempts == attempt
        if attempt < 8:
            gap = delivery.next_attempt_at - now
            assert gap == timedelta(minutes=2 ** (attempt - 1))
    assert delivery.status == "failed"
    assert len(receiver.requests) == 8


def test_recovers_after_a_failure(webhook, receiver):
    receiver.answers = [503]
    make_article(make_section())
    now = timezone.now()
    deliver_due_webhooks(now=now)
    outcome = deliver_due_webhooks(now=now + timedelta(minutes=1))
    assert str(outcome) == "Delivered 1, failed 0, waiting 0."
    assert WebhookDelivery.objects.get().status == "sent"


def test_drafts_are_never_announced(webhook, receiver):
    make_article(make_section(), publish=False)
    assert not WebhookDelivery.objects.exists()
    deliver_due_webhooks()
    assert receiver.requests == []


def test_embargoed_story_waits_for_its_release(webhook, receiver):
    until = timezone.now() + timedelta(hours=2)
    make_article(make_section(), embargo_until=until)
    deliver_due_webhooks(now=timezone.now())
    deliver_due_webhooks(now=until - timedelta(minutes=1))
    assert receiver.requests == []
    deliver_due_webhooks(now=until + timedelta(seconds=1))
    assert events(receiver) == ["publish"]


def test_webhook_filters_events_and_inactive_hooks(webhook, receiver):
    webhook.events = ["unpublish"]
    webhook.save()
    Webhook.objects.create(name="Off", url=receiver.url, secret="x", active=False)
    article = make_article(make_section())
    do_retract_article(article, reason="Legal")
    deliver_due_webhooks()
    assert events(receiver) == ["unpublish"]


def test_only_http_urls(db):
    for url in ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com"]:
        hook = Webhook(name="Bad", url=url, secret="x")
        with pytest.raises(ValidationError):
            hook.full_clean()


def test_never_sends_to_a_non_http_url_stored_around_validation(webhook, receiver):
    Webhook.objects.filter(pk=webhook.pk).update(url="file:///etc/passwd")
    receiver.answers = []
    make_article(make_section())
    deliver_due_webhooks()
    delivery = WebhookDelivery.objects.get()
    assert "not http(s)" in delivery.last_error
    assert receiver.requests == []


def test_command_prints_one_line(webhook, receiver, capsys):
    make_article(make_section())
    call_command("deliver_webhooks")
    assert capsys.readouterr().out == "Delivered 1, failed 0, waiting 0.\n"


def test_publishing_queues_a_delivery_the_worker_sends(webhook, receiver):
    make_article(make_section())
    assert events(receiver) == []  # the editor's request does not wait for it
    run_tasks()
    assert events(receiver) == ["publish"]
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SENT


def test_an_embargoed_story_is_queued_for_its_release(webhook, receiver):
    until = timezone.now() + timedelta(hours=2)
    make_article(make_section(), embargo_until=until)
    run_tasks()
    assert events(receiver) == []
    [queued] = DBTaskResult.objects.filter(task_path__endswith="deliver_due_webhooks")
    assert queued.run_after == until


def test_deliveries_listed_in_admin(admin_client, webhook, receiver):
    receiver.answers = [500]
    make_article(make_section())
    deliver_due_webhooks()
    listing = admin_client.get(
        "/admin/snippets/dateline_syndication/webhookdelivery/?status=pending"
    )
    assert listing.status_code == 200
    assert "HTTP 500" in listing.content.decode()
    add = admin_client.get("/admin/snippets/dateline_syndication/webhookdelivery/add/")
    assert add.status_code in (302, 403)
