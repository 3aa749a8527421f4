"""E-mail sent from tasks: at most once per key, retried while the server is away.

A task may run twice (a worker killed after the mail server took the message but
before the task was marked done). The key of each message is stored once the server
has taken it, so a second run sends nothing.
"""

import logging
import smtplib

from django.utils import timezone

from .models import DoneOnce

logger = logging.getLogger(__name__)

# What a mail server that is away or refusing raises: worth trying again later.
SEND_ERRORS = (OSError, smtplib.SMTPException)


def already_sent(key: str) -> bool:
    return DoneOnce.objects.filter(key=f"mail:{key}").exists()


def send_once(key: str, message) -> bool:
    """Send ``message`` unless a message with ``key`` went before; whether it was
    sent now. A failure to reach the server propagates (``SEND_ERRORS``)."""
    if already_sent(key):
        return False
    message.send()
    DoneOnce.objects.get_or_create(
        key=f"mail:{key}", defaults={"done_at": timezone.now()}
    )
    return True
