"""Pluggable SMS senders for sign-in codes.

Set ``CIVICHALL_SMS_SENDER`` to a dotted path of a class with
``send(mobile, text)``. The console sender (default) prints the message, for
development and the demo; production plugs in the city's SMS gateway.
"""

import logging

from django.utils.module_loading import import_string

from civichall.core.config import setting

logger = logging.getLogger("civichall.sms")


class ConsoleSender:
    """Prints the message on the server's console (never in production)."""

    def send(self, mobile, text):
        print(f"[SMS to {mobile}] {text}", flush=True)


class MemorySender:
    """Keeps sent messages in memory; for tests."""

    outbox = []

    def send(self, mobile, text):
        type(self).outbox.append((mobile, text))


def get_sender():
    path = setting("CIVICHALL_SMS_SENDER")
    return import_string(path)()
