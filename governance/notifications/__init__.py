"""Notifications: the in-app inbox (bell, list, mark read) and the outgoing copy
(SMS / e-mail) sent by a pluggable backend from a Celery task with retries.

Writers (the sweep, moves, supervision, signals) call ``notify_many`` inside
their own transaction, so a notification exists exactly when its action does.
The outgoing copy is sent by the beat task ``deliver_pending_notifications``
every minute (whatever has no ``sent_at`` yet), so writers never wait on the
broker and a Redis outage delays messages but loses none.
"""
from .services import mark_all_read, mark_read, notify_many
from .selectors import inbox, unread_count

__all__ = ["inbox", "mark_all_read", "mark_read", "notify_many", "unread_count"]
