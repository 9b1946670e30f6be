"""Reading a person's inbox: their own entries plus their organisation's desk."""
from governance.notifications.models import Notification

from .services import inbox_filter


def inbox(*, user):
    return Notification.objects.filter(inbox_filter(user)).select_related("case", "read_by")


def unread_count(*, user) -> int:
    return inbox(user=user).filter(read_at__isnull=True).count()
