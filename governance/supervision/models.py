from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.choices import Signal, Tier
from governance.history import track_versions


@track_versions
class SignalRule(models.Model):
    """Escalate at once, without waiting for the deadline, when a signal comes in:
    e.g. the third police referral of the same matter, or staff flagging a risk of
    extreme action. The matter goes straight to the center of ``to_tier``."""

    signal = models.CharField(_("signal"), max_length=20, choices=Signal.choices, unique=True)
    threshold = models.PositiveSmallIntegerField(
        _("threshold"), default=1, validators=[MinValueValidator(1)],
        help_text=_("How many times the signal must come in (for police referrals: the number of referrals)."),
    )
    to_tier = models.CharField(_("escalate to"), max_length=8, choices=Tier.choices, default=Tier.COUNTY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signal rule")
        verbose_name_plural = _("signal rules")
        ordering = ["signal"]

    def __str__(self):
        return self.get_signal_display()

    def clean(self):
        if self.to_tier == Tier.VILLAGE:
            raise ValidationError({"to_tier": _("A signal can only escalate to the town or the county.")})
