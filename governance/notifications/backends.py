"""Outgoing channels for notifications. Set ``NOTIFICATION_BACKEND`` to a class
with ``send_messages(notifications)``; it raises to have the batch retried.

A county plugs its SMS gateway or mail relay in here; the default only logs.
"""
import logging

from django.utils import translation

from .text import notification_text

logger = logging.getLogger("governance.notifications.outgoing")


class BaseBackend:
    def send_messages(self, notifications):
        raise NotImplementedError


class LoggingBackend(BaseBackend):
    """Writes each message to the log (the default: no gateway needed)."""

    def send_messages(self, notifications):
        with translation.override("zh-hans"):
            for notification in notifications:
                recipient = notification.user or notification.organisation
                logger.info("to %s: %s", recipient, notification_text(notification))


class MemoryBackend(BaseBackend):
    """Keeps messages in a list, for drills and tests. ``fail_next`` sends fail (an
    outage); ``refused`` holds ids the gateway always refuses (a bad number)."""

    outbox: list = []
    fail_next = 0
    refused: set = set()

    def send_messages(self, notifications):
        if MemoryBackend.fail_next:
            MemoryBackend.fail_next -= 1
            raise ConnectionError("SMS gateway unavailable")
        if any(n.id in MemoryBackend.refused for n in notifications):
            raise ValueError("the gateway refused this recipient")
        MemoryBackend.outbox.extend(n.id for n in notifications)
