"""E-mail leaves every request: the site's ``EMAIL_BACKEND`` queues each message for
the worker, which sends it at most once per key and retries while the server is away.

``QueuedEmailBackend`` catches every e-mail, ours and those Django and Wagtail send
(password resets, workflow notifications), so a mail server that is away never fails
a request and a message is not lost with it. The worker hands each message to the
real backend, ``DATELINE_EMAIL_DELIVERY_BACKEND`` (SMTP). A task may run twice (a
worker killed after the mail server took the message but before the task was marked
done): the key of each message is stored once the server has taken it, so a second
run sends nothing.
"""

import base64
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from .models import DoneOnce

QUEUED_BACKEND = "dateline.worker.mail.QueuedEmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# What a mail server that is away or refusing raises: worth trying again later.
SEND_ERRORS = (OSError, smtplib.SMTPException)


def delivery_backend() -> str:
    """The backend that really sends: never the queue itself."""
    if settings.EMAIL_BACKEND != QUEUED_BACKEND:
        return settings.EMAIL_BACKEND
    return getattr(settings, "DATELINE_EMAIL_DELIVERY_BACKEND", SMTP_BACKEND)


def already_sent(key: str) -> bool:
    return DoneOnce.objects.filter(key=f"mail:{key}").exists()


def send_once(key: str, message: EmailMessage) -> bool:
    """Send ``message`` now, unless a message with ``key`` went before; whether it
    was sent now. A failure to reach the server propagates (``SEND_ERRORS``)."""
    if already_sent(key):
        return False
    message.connection = get_connection(delivery_backend())
    message.send()
    DoneOnce.objects.get_or_create(
        key=f"mail:{key}", defaults={"done_at": timezone.now()}
    )
    return True


class QueuedEmailBackend(BaseEmailBackend):
    """Queue each message as a ``worker.tasks.send_email`` task, in the current
    transaction (a message of a change that is rolled back is not sent)."""

    def send_messages(self, email_messages):
        from .queue import enqueue_with_commit
        from .tasks import send_email

        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            enqueue_with_commit(send_email, **serialise(message))
            queued += 1
        return queued


def serialise(message: EmailMessage) -> dict:
    raw = message.message().as_bytes(linesep="\r\n")
    return {
        "key": uuid.uuid4().hex,
        "from_email": message.from_email,
        "recipients": message.recipients(),
        "raw": base64.b64encode(raw).decode("ascii"),
    }


class _RawMIME:
    """A finished message as Django's backends read it (``as_bytes``)."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self.data.replace(b"\r\n", b"\n").replace(b"\n", linesep.encode())


class QueuedMessage(EmailMessage):
    """A message that was queued, sent as it was built."""

    def __init__(self, from_email: str, recipients: list[str], raw: str):
        super().__init__(from_email=from_email, to=recipients)
        self.raw = base64.b64decode(raw)

    def message(self):
        return _RawMIME(self.raw)
