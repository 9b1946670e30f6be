"""The sentence a notification reads as, in the reader's language."""
from django.utils import formats, timezone
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
    number, deadline = notification.case.number, notification.due_at
    if notification.kind == K.MESSAGE:  # an app's message says it all in its note
        return _("Matter %(number)s: %(note)s") % {"number": number, "note": notification.note}
    if notification.kind == K.REMINDED and deadline is None:  # a reminder about a matter with no deadline
        text = _("Reminder: matter %(number)s.") % {"number": number}
    else:
        text = TEMPLATES[notification.kind]() % {
            "number": number,
            "deadline": formats.date_format(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT") if deadline else "",
        }
    return f"{text} {notification.note}".strip()
