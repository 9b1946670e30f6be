"""Reading a person's inbox: their own entries plus their organisation's desk."""
from governance.notifications.models import Notification

from .services import inbox_filter


def inbox(*, user):
    return Notification.objects.filter(inbox_filter(user)).select_related("case", "read_by")


# The bell shows "99+" beyond this: a desk that never reads its inbox must not make
# every page count all of its notifications.
UNREAD_CAP = 99


def unread_count(*, user, cap=UNREAD_CAP) -> int:
    """Unread entries, counted up to ``cap`` + 1 (more than ``cap`` reads as ``cap`` + 1)."""
    return Notification.objects.filter(inbox_filter(user), read_at__isnull=True).values("pk")[: cap + 1].count()
