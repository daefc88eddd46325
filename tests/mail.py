"""Django's test mailbox, refusing any email that does not leave through the outbox.

Every email of the system is an outbox row first and is sent by ``notifications.outbox.deliver``
or ``deliver_batch`` (the ``send_message`` and ``send_messages`` tasks). The whole suite sends
through this backend, so code that calls ``send_mail``, ``EmailMessage.send`` or
``mail_admins`` itself fails the test that reaches it.
"""

import sys

from django.core.mail.backends import locmem

OUTBOX_MODULE = "notifications.outbox"
SENDING_FUNCTIONS = frozenset({"deliver", "deliver_batch"})


class DirectMailError(AssertionError):
    """An email was sent without going through the outbox."""


def sent_by_outbox() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if (
            frame.f_globals.get("__name__") == OUTBOX_MODULE
            and frame.f_code.co_name in SENDING_FUNCTIONS
        ):
            return True
        frame = frame.f_back
    return False


class OutboxOnlyBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        if not sent_by_outbox():
            subjects = ", ".join(repr(message.subject) for message in messages)
            raise DirectMailError(
                f"Email {subjects} was sent directly; queue it with notifications.outbox."
            )
        return super().send_messages(messages)
