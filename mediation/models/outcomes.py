"""What follows an outcome: the referral to the court station when mediation
failed, and the follow-up visit."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.choices import FollowUpMethod, Performance, ReferralOutcome, Satisfaction


class CourtReferral(models.Model):
    """A failed mediation's matter referred to a court station (诉调对接), with what
    the court made of it."""

    mediation = models.ForeignKey("mediation.Mediation", verbose_name=_("mediation"), on_delete=models.CASCADE,
                                  related_name="referrals")
    court_station = models.ForeignKey("governance.Organisation", verbose_name=_("court station"),
                                      on_delete=models.PROTECT, related_name="+",
                                      limit_choices_to={"kind": "court_station"})
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("referred by"),
                                    on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ReferralOutcome.choices,
                               default=ReferralOutcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)

    class Meta:
        verbose_name = _("court referral")
        verbose_name_plural = _("court referrals")
        ordering = ["-referred_at"]

    def __str__(self):
        return f"{self.court_station} · {self.get_outcome_display()}"


class FollowUp(models.Model):
    """A follow-up visit (回访) after the outcome: by phone or in person, whether the
    agreement was performed, and the party's satisfaction on five levels."""

    mediation = models.ForeignKey("mediation.Mediation", verbose_name=_("mediation"), on_delete=models.CASCADE,
                                  related_name="follow_ups")
    method = models.CharField(_("how"), max_length=8, choices=FollowUpMethod.choices)
    performance = models.CharField(_("agreement performed"), max_length=16, choices=Performance.choices)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(satisfaction__gte=1, satisfaction__lte=5),
                                              name="follow_up_satisfaction_five_levels")]

    def __str__(self):
        return f"{self.get_method_display()} · {self.get_satisfaction_display()}"
