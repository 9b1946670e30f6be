"""The access log: who saw personal data in full, when, on which matter, which
fields, and why. One table for the core and every app (mediation's agreements,
petitions' notices, intake's receipts)."""
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    REVEAL = "reveal", _("Revealed on purpose")
    PRINT_RECEIPT = "print_receipt", _("Printed the receipt's clerk's copy")
    PRINT_AGREEMENT = "print_agreement", _("Printed a mediation agreement")
    PRINT_NOTICE = "print_notice", _("Printed a petition document")
    EXPORT = "export", _("Exported with full numbers")


class PersonalField(models.TextChoices):
    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("phone")


class AccessLogEntry(models.Model):
    """One sight of personal data in full (an ID number, a phone): who, when, which
    matter, which fields of which parties, and the purpose stated. Append-only: a
    database trigger refuses UPDATE and DELETE, so nobody (not even an admin in a
    shell) rewrites what was seen. A person's request under PIPL art. 45 is answered
    from it (``governance.privacy.selectors.personal_data_report``)."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                             related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=AccessAction.choices)
    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    fields = ArrayField(models.CharField(max_length=16, choices=PersonalField.choices), verbose_name=_("fields"),
                        default=list)
    parties = ArrayField(models.BigIntegerField(), verbose_name=_("parties"), default=list,
                         help_text=_("The parties whose data was shown."))
    purpose = models.CharField(_("purpose"), max_length=200)
    # What was printed or exported (an agreement, a petition document), if not the matter itself.
    object_type = models.CharField(_("record type"), max_length=40, blank=True, default="")
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="accesslog_case_at"),
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
            models.Index(fields=["-at"], name="accesslog_at"),
        ]
        triggers = [pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
