"""Telling partners' servers when a story is published, updated, corrected or taken
down.

Publishing stores one ``WebhookDelivery`` per interested webhook, in the editor's
transaction, and queues the ``deliver_due_webhooks`` task (``tasks.py``) for the
moment it is due, so a partner usually hears within a second and no editor waits for
a slow receiver. The worker also queues that task every minute to retry failures with
backoff; ``dateline deliver_webhooks`` runs it by hand. An embargoed story's delivery
waits until the embargo ends: a partner never hears of a story readers cannot see.
The deliveries stay rows of their own, not only queued tasks, because they are the
partners' log in the admin and carry each delivery's attempts and backoff.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.models import PageLogEntry

from dateline.newsroom.models import ArticleCorrection, ArticlePage
from dateline.worker.queue import enqueue_with_commit

from .models import Webhook, WebhookDelivery
from .text import iso_datetime

logger = logging.getLogger(__name__)

TIMEOUT = 5
MAX_ATTEMPTS = 8
SIGNATURE_HEADER = "X-Dateline-Signature"
EVENT_HEADER = "X-Dateline-Event"
Event = Webhook.Event
Status = WebhookDelivery.Status


# Which event a publication is -------------------------------------------------------


def publish_event(article, revision) -> str:
    """``publish`` the first time, ``correction`` when the publication adds a
    correction, otherwise ``update``."""
    previous = _previously_published(article, revision)
    if previous is None:
        return Event.PUBLISH
    before = {item.pk for item in previous.corrections.all()}
    added = [item for item in article.corrections.all() if item.pk not in before]
    if any(item.kind == ArticleCorrection.Kind.CORRECTION for item in added):
        return Event.CORRECTION
    return Event.UPDATE


def _previously_published(article, revision):
    """The article as it was last published before ``revision``, or None."""
    entries = PageLogEntry.objects.filter(page=article, action="wagtail.publish")
    if revision is not None:
        entries = entries.exclude(revision=revision)
    entry = entries.exclude(revision=None).order_by("-timestamp", "-pk").first()
    if entry is not None:
        return entry.revision.as_object()
    # Published without a log entry (an import, an older release): only the dates.
    if article.first_published_at != article.last_published_at:
        return article
    return None


# Queueing ---------------------------------------------------------------------------


def payload(article, event: str) -> dict:
    """What a partner receives: the event and enough to fetch the story."""
    from django.urls import reverse

    root = article.get_site().root_url if article.get_site() else ""
    api_path = reverse("syndication:api_v1:article", args=[article.pk])
    return {
        "event": event,
        "article": {
            "id": article.pk,
            "title": article.title,
            "url": article.full_url if event != Event.UNPUBLISH else None,
            "api_url": f"{root}{api_path}" if event != Event.UNPUBLISH else None,
            "first_published_at": iso_datetime(article.first_published_at),
            "last_published_at": iso_datetime(article.last_published_at),
        },
        "sent_for": iso_datetime(timezone.now()),
    }


def queue(article, event: str) -> list[WebhookDelivery]:
    """A pending delivery of ``event`` for each active webhook that wants it.

    A story that is not public yet (embargoed) is held until its embargo ends.
    """
    when = timezone.now()
    if event != Event.UNPUBLISH and article.is_embargoed(when):
        when = article.embargo_until
    body = payload(article, event)
    deliveries = [
        WebhookDelivery(
            webhook=hook,
            event=event,
            article_id=article.pk,
            payload=body,
            next_attempt_at=when,
        )
        for hook in Webhook.objects.filter(active=True)
        if hook.wants(event)
    ]
    created = WebhookDelivery.objects.bulk_create(deliveries)
    if created:
        from .tasks import deliver_due_webhooks as deliver

        enqueue_with_commit(deliver.using(run_after=when))
    return created


def article_published(sender, instance, revision=None, **kwargs):
    article = instance.specific
    if not isinstance(article, ArticlePage) or not _anyone_listening():
        return
    if article.live and _is_public(article):
        queue(article, publish_event(article, revision))


def article_unpublished(sender, instance, **kwargs):
    article = instance.specific
    # Partners never heard of a story still under embargo: nothing to take back.
    if isinstance(article, ArticlePage) and not article.is_embargoed():
        queue(article, Event.UNPUBLISH)


def _anyone_listening() -> bool:
    return Webhook.objects.filter(active=True).exists()


def _is_public(article) -> bool:
    return ArticlePage.objects.filter(pk=article.pk).live().public().exists()


# Delivering -------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    waiting: int = 0

    def __str__(self):
        return f"Delivered {self.sent}, failed {self.failed}, waiting {self.waiting}."


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th … failed attempt."""
    return timedelta(minutes=2 ** (attempts - 1))


def deliver_due_webhooks(now=None) -> Outcome:
    """Send every pending delivery whose time has come; say what happened."""
    now = now or timezone.now()
    outcome = Outcome()
    due = WebhookDelivery.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=now
    ).select_related("webhook")
    for delivery in due.order_by("next_attempt_at", "pk"):
        if not _claim(delivery):
            continue  # another process took it
        attempt(delivery, now)
        if delivery.status == Status.SENT:
            outcome.sent += 1
        elif delivery.status == Status.FAILED:
            outcome.failed += 1
    outcome.waiting = WebhookDelivery.objects.filter(status=Status.PENDING).count()
    return outcome


def _claim(delivery) -> bool:
    # Moving the next attempt out of reach first means two runs at once (the timer
    # and a publish) never send the same delivery twice.
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk,
        status=Status.PENDING,
        next_attempt_at=delivery.next_attempt_at,
    ).update(next_attempt_at=delivery.next_attempt_at + timedelta(minutes=5))
    return claimed == 1


def attempt(delivery, now) -> None:
    """Try one delivery once and store the result."""
    if _withdrawn(delivery):
        delivery.status, delivery.last_error = Status.FAILED, "No longer published."
        delivery.save(update_fields=["status", "last_error"])
        return
    held = _held_until(delivery, now)
    if held is not None:
        delivery.next_attempt_at = held
        delivery.save(update_fields=["next_attempt_at"])
        return
    delivery.attempts += 1
    try:
        post(delivery.webhook, delivery.event, delivery.payload)
    except DeliveryError as error:
        _failed(delivery, str(error), now)
    else:
        delivery.status, delivery.sent_at, delivery.last_error = Status.SENT, now, ""
    delivery.save()


def _withdrawn(delivery) -> bool:
    """Whether the story of a publish, update or correction is no longer live."""
    if delivery.event == Event.UNPUBLISH or delivery.article_id is None:
        return False
    live = ArticlePage.objects.filter(pk=delivery.article_id).live().public()
    return not live.exists()


def _held_until(delivery, now):
    """The embargo's end when the story is still embargoed, else None."""
    if delivery.event == Event.UNPUBLISH or delivery.article_id is None:
        return None
    article = ArticlePage.objects.filter(pk=delivery.article_id).first()
    if article is not None and article.is_embargoed(now):
        return article.embargo_until
    return None


def _failed(delivery, error, now):
    delivery.last_error = error[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Status.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    logger.warning("webhook %s: %s", delivery.webhook, error)


class DeliveryError(Exception):
    pass


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere; a receiver must answer at its own address.
    def redirect_request(self, *args, **kwargs):
        return None


def post(webhook, event: str, data: dict) -> None:
    """POST ``data`` as JSON to the webhook, signed; DeliveryError unless 2xx."""
    if urlsplit(webhook.url).scheme not in ("http", "https"):
        raise DeliveryError(f"refusing to send to {webhook.url!r}: not http(s)")
    body = json.dumps(data, cls=DjangoJSONEncoder).encode()
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Dateline-Webhooks/1",
            SIGNATURE_HEADER: sign(webhook.secret, body),
            EVENT_HEADER: event,
        },
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    except (OSError, ValueError) as error:
        raise DeliveryError(str(error) or type(error).__name__) from error
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")
