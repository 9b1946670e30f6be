"""Writing notifications, marking them read, and handing them to the outgoing backend."""
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from governance.models import Notification

logger = logging.getLogger(__name__)
DELIVERY_BATCH = 500


def notify_many(notifications: list[Notification]) -> list[Notification]:
    """Insert in one statement (call inside the writer's transaction) and queue the outgoing copy."""
    if not notifications:
        return []
    created = Notification.objects.bulk_create(notifications)
    transaction.on_commit(queue_delivery)
    return created


def queue_delivery():
    """Ask a worker to send what is unsent. A broker outage must not fail the
    writer: the beat task retries every minute anyway."""
    from governance.tasks import deliver_pending_notifications

    try:
        deliver_pending_notifications.delay()
    except Exception:  # noqa: BLE001 - broker down: the next beat run delivers
        logger.warning("could not queue notification delivery; the next scheduled run will send them")


def inbox_filter(user):
    from django.db.models import Q

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


def deliver_pending(*, batch_size=DELIVERY_BATCH) -> int:
    """Send unsent notifications through the backend, one locked batch at a time.

    Claimed with SKIP LOCKED, so two workers never send the same one; a failing
    backend raises, the transaction rolls back and the task retries later.
    """
    backend = outgoing_backend()
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.filter(sent_at__isnull=True)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "organisation", "user")
                .order_by("id")[:batch_size]
            )
            if not batch:
                return sent
            backend.send_messages(batch)
            Notification.objects.filter(id__in=[n.id for n in batch]).update(sent_at=timezone.now())
        sent += len(batch)
