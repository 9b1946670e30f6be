"""Money: the subsidy rates an admin sets. (Who printed what with full ID numbers
is in the core's access log, governance.privacy.)"""
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
