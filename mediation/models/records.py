"""Money and the access log: the subsidy rates an admin sets, and who printed
what with full ID numbers."""
import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.choices import AccessAction


class SubsidyRate(models.Model):
    """The mediators' subsidy from a month on (以案定补): a monthly base, and a
    per-case amount for each successful mediation above the mediator's monthly
    quota. The rate of a month is the latest one valid from its first day."""

    valid_from = models.DateField(_("valid from"), unique=True, help_text=_("The first day of a month."))
    base_amount = models.DecimalField(_("monthly base (yuan)"), max_digits=9, decimal_places=2,
                                      validators=[MinValueValidator(0)])
    per_case_amount = models.DecimalField(_("per case above the quota (yuan)"), max_digits=9, decimal_places=2,
                                          validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("subsidy rate")
        verbose_name_plural = _("subsidy rates")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(base_amount__gte=0, per_case_amount__gte=0),
                                   name="subsidy_rate_not_negative"),
            models.CheckConstraint(condition=models.Q(valid_from__day=1), name="subsidy_rate_from_first_day"),
        ]

    def __str__(self):
        return f"{self.valid_from:%Y-%m}"


class AccessLogEntry(models.Model):
    """Who saw personal data in full, and when: printing an agreement reveals the
    parties' full ID numbers. Append-only: a database trigger refuses UPDATE and
    DELETE. (The core has no access log yet; this is the mediation app's own.)"""

    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                             related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=AccessAction.choices)
    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.PROTECT,
                             related_name="+")
    object_id = models.PositiveBigIntegerField(_("record"))
    detail = models.JSONField(_("details"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="mediation_access_case_at")]
        triggers = [pgtrigger.Protect(name="mediation_access_log_append_only",
                                      operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
