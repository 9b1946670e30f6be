"""The sentence a notification reads as, in the reader's language."""
from django.utils.translation import gettext as _

from governance.choices import NotificationKind as K

TEMPLATES = {
    K.REMINDED: lambda: _("Reminder: matter %(number)s is due by %(deadline)s."),
    K.ESCALATED: lambda: _("Matter %(number)s was escalated to your center."),
    K.ESCALATED_AWAY: lambda: _("Matter %(number)s was escalated to the next tier."),
    K.OVERDUE: lambda: _("Matter %(number)s is overdue and on the supervision list."),
    K.SUPERVISED: lambda: _("A leader supervises matter %(number)s."),
    K.DISPATCHED: lambda: _("Matter %(number)s was dispatched to you."),
    K.ASSIGNED_DOWN: lambda: _("Matter %(number)s was assigned down to you."),
}


def notification_text(notification) -> str:
    from django.utils import formats, timezone

    deadline = notification.due_at
    if notification.kind == K.REMINDED and deadline is None:
        return f"{_('Reminder: matter %(number)s.') % {'number': notification.case.number}} {notification.note}".strip()
    text = TEMPLATES[notification.kind]() % {
        "number": notification.case.number,
        "deadline": formats.date_format(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT") if deadline else "",
    }
    return f"{text} {notification.note}".strip()
