"""A real SMTP server for tests: aiosmtpd in a thread, answering from a script.

``SMTPSink(data_replies=["451 4.3.0 Try later"])`` refuses the first message with 451 and
accepts the rest; ``rcpt_replies`` does the same at RCPT TO. A reply of ``HANG_UP`` closes
the connection instead of answering. ``refuse_login=True`` asks the
client to sign in and refuses every password (535). Every accepted message is kept in
``received`` (parsed) and ``received_bytes`` (as sent), every try counted in ``attempts``.
"""

import email
import socket
from collections.abc import Iterable
from email.message import Message as ParsedEmail

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

ACCEPT = "250 2.0.0 OK"
HANG_UP = "hang up"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScriptedHandler:
    def __init__(self, *, rcpt_replies: Iterable[str], data_replies: Iterable[str], repeat_last):
        self.rcpt_replies = list(rcpt_replies)
        self.data_replies = list(data_replies)
        self.repeat_last = repeat_last
        self.attempts = 0
        self.received: list[ParsedEmail] = []
        self.received_bytes: list[bytes] = []

    def _next(self, replies: list[str]) -> str:
        if not replies:
            return ACCEPT
        if self.repeat_last and len(replies) == 1:
            return replies[0]
        return replies.pop(0)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.attempts += 1
        reply = self._next(self.rcpt_replies)
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = self._next(self.data_replies)
        if reply == HANG_UP:
            server.transport.close()
            return "421 4.3.2 Closing the connection"
        if reply.startswith("250"):
            self.received.append(email.message_from_bytes(envelope.content))
            self.received_bytes.append(envelope.original_content)
        return reply


class SMTPSink:
    """Start with ``with SMTPSink(...) as sink:``; ``sink.port`` is where it listens."""

    def __init__(self, *, rcpt_replies=(), data_replies=(), repeat_last=False, refuse_login=False):
        self.handler = ScriptedHandler(
            rcpt_replies=rcpt_replies, data_replies=data_replies, repeat_last=repeat_last
        )
        self.port = free_port()
        self.refuse_login = refuse_login
        login = {}
        if refuse_login:
            login = {
                "authenticator": lambda *args: AuthResult(success=False, handled=False),
                "auth_require_tls": False,
            }
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **login)

    @property
    def received(self) -> list[ParsedEmail]:
        return self.handler.received

    @property
    def attempts(self) -> int:
        return self.handler.attempts

    def django_settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "egm-desk" if self.refuse_login else "",
            "EMAIL_HOST_PASSWORD": "wrong password" if self.refuse_login else "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }

    def __enter__(self) -> "SMTPSink":
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.controller.stop()
