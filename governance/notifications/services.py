"""Writing notifications, marking them read, and handing them to the outgoing backend."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from governance.models import Notification

DELIVERY_BATCH = 500


def notify_many(notifications: list[Notification]) -> list[Notification]:
    """Insert in one statement, inside the writer's transaction. The outgoing copy is
    sent by the beat task ``deliver_pending_notifications`` within a minute: writers
    never talk to the broker, so a Redis outage cannot slow or fail them."""
    if not notifications:
        return []
    return Notification.objects.bulk_create(notifications)


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
