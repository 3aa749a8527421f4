"""A real SMTP server for tests, on 127.0.0.1 and a free port, that keeps what it is
sent. Mail goes through Django's SMTP backend and the network, as in production."""

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def body(self) -> str:
        """The plain-text part, decoded."""
        return self.message.get_body(preferencelist=("plain",)).get_content()


class RecordingHandler:
    def __init__(self):
        self.messages: list[ReceivedMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        received = ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), message)
        with self._lock:
            self.messages.append(received)
        return "250 Message accepted for delivery"


def free_port(host=HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SMTPServer:
    """``with SMTPServer() as server:`` runs a server; ``server.messages`` is what it
    has received, in order."""

    def __init__(self, host=HOST):
        self.host = host
        self.port = free_port(host)
        self.handler = RecordingHandler()
        self.controller = Controller(self.handler, hostname=host, port=self.port)

    @property
    def messages(self) -> list[ReceivedMessage]:
        return list(self.handler.messages)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.controller.stop()
