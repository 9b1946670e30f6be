"""Writing notifications, marking them read, and handing them to the outgoing backend."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from governance.notifications.models import Notification

logger = logging.getLogger(__name__)
DELIVERY_BATCH = 500
MAX_DELIVERY_ATTEMPTS = 5
# How long a sender may take over a batch before others may send its messages.
CLAIM_FOR = timedelta(minutes=15)


def notify_many(notifications: list[Notification]) -> list[Notification]:
    """Insert in one statement, inside the writer's transaction. The outgoing copy is
    sent by the beat task ``deliver_pending_notifications`` within a minute: writers
    never talk to the broker, so a Redis outage cannot slow or fail them."""
    if not notifications:
        return []
    return Notification.objects.bulk_create(notifications)


def inbox_filter(user):
    condition = Q(user=user)
    if user.organisation_id:
        condition |= Q(organisation_id=user.organisation_id)
    return condition


def mark_read(*, user, notification_id) -> int:
    """Mark one entry of ``user``'s inbox read; returns 1, or 0 when it is not theirs or already read."""
    return Notification.objects.filter(inbox_filter(user), pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=user
    )


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(inbox_filter(user), read_at__isnull=True).update(
        read_at=timezone.now(), read_by=user
    )


def outgoing_backend():
    return import_string(settings.NOTIFICATION_BACKEND)()


class GatewayDown(Exception):
    """Every message of a batch failed: the gateway, not one message, is the problem."""


def deliver_pending(*, batch_size=DELIVERY_BATCH) -> int:
    """Send unsent notifications through the backend, one claimed batch at a time.

    A batch is claimed in a short transaction (SKIP LOCKED, then ``claimed_until``
    set), so two senders never take the same message; the gateway is then called
    with no transaction open and no row locked (a slow SMS gateway used to hold 500
    rows locked for the whole batch); the outcome is written in another short
    transaction. A sender that dies mid-batch leaves its claims to lapse after
    CLAIM_FOR, and the messages go out then (at least once, as before).

    Each message is sent on its own: a failing one counts an attempt and is given
    up after MAX_DELIVERY_ATTEMPTS, the others go out. When a whole batch fails the
    gateway is down: GatewayDown makes the Celery task retry later.
    """
    backend = outgoing_backend()
    sent, failed_now = 0, set()
    while True:
        batch = _claim(batch_size=batch_size, skip=failed_now)
        if not batch:
            return sent
        delivered, failed = [], []
        for notification in batch:
            try:
                backend.send_messages([notification])
            except Exception:  # noqa: BLE001 - one message must not stop the others
                logger.warning("notification %s could not be sent", notification.pk, exc_info=True)
                failed.append(notification.pk)
            else:
                delivered.append(notification.pk)
        with transaction.atomic():
            Notification.objects.filter(id__in=delivered).update(sent_at=timezone.now(), claimed_until=None)
            Notification.objects.filter(id__in=failed).update(
                delivery_attempts=F("delivery_attempts") + 1, claimed_until=None)
        sent += len(delivered)
        failed_now.update(failed)
        if failed and not delivered:
            raise GatewayDown(f"{len(failed)} notifications could not be sent")


def _claim(*, batch_size, skip) -> list[Notification]:
    """Take up to ``batch_size`` unsent, unclaimed notifications for this sender (committed on return)."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            Notification.objects.filter(sent_at__isnull=True, delivery_attempts__lt=MAX_DELIVERY_ATTEMPTS)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .exclude(id__in=skip)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("case", "organisation", "user")
            .order_by("id")[:batch_size]
        )
        Notification.objects.filter(id__in=[n.pk for n in batch]).update(claimed_until=now + CLAIM_FOR)
    return batch
