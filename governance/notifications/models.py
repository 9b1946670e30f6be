from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.choices import NotificationKind


class Notification(models.Model):
    """An entry in an inbox: for an organisation's whole desk (the holder of a
    matter) or for one person. Reading it once marks it read for the desk.

    ``sent_at`` records the outgoing copy (SMS/e-mail) handed to the backend;
    the delivery task picks up whatever is still unsent, so nothing is lost
    when the broker is down at the moment the notification is written.
    """

    # Indexed by notification_org_at and notification_user_at (Meta), which start with them.
    organisation = models.ForeignKey(
        "governance.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="notifications", db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="notifications", db_index=False,
    )
    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    # The deadline a reminder speaks of, as it was then: the matter's may move later.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("read by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Failed sends of the outgoing copy; after a few the message is given up (and
    # stays in the inbox), so one bad number never holds up everyone else's.
    delivery_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0, db_default=0)
    # A sender's claim on the outgoing copy while it talks to the gateway, outside
    # any transaction (no row stays locked during the call); once past, the claim
    # has lapsed (the sender died) and another sender may take the message.
    claimed_until = models.DateTimeField(_("claimed for sending until"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="notification_org_at"),
            models.Index(fields=["user", "-at"], name="notification_user_at"),
            models.Index(fields=["organisation"], name="notification_org_unread",
                         condition=models.Q(read_at__isnull=True)),
            models.Index(fields=["user"], name="notification_user_unread",
                         condition=models.Q(read_at__isnull=True)),
            models.Index(fields=["id"], name="notification_unsent", condition=models.Q(sent_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(user__isnull=False),
                name="notification_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_id}"
