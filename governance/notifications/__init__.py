"""Notifications: the in-app inbox (bell, list, mark read) and the outgoing copy
(SMS / e-mail) sent by a pluggable backend from a Celery task with retries.

Writers (the sweep, moves, supervision, signals) call ``notify_many`` inside
their own transaction, so a notification exists exactly when its action does.
The outgoing copy is sent after commit; if the broker is down at that moment,
the beat task ``deliver_pending_notifications`` picks it up later (``sent_at``
is still empty), so nothing is lost.
"""
from .services import mark_all_read, mark_read, notify_many, queue_delivery
from .selectors import inbox, unread_count

__all__ = ["inbox", "mark_all_read", "mark_read", "notify_many", "queue_delivery", "unread_count"]
