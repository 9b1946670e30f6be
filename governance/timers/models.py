from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.choices import CaseKind, Tier
from governance.history import track_versions


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    HOURS = "hours", _("hours")


@track_versions
class TierRule(models.Model):
    """How long a tier has for a kind of matter (optionally one category), and
    when the reminder (催办) goes out. At the limit an unresolved matter moves to
    the next tier's center; at the county it goes overdue onto the supervision list.
    The most specific rule wins: kind + category before kind alone."""

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    category = models.ForeignKey(
        "governance.Category", verbose_name=_("category"), on_delete=models.CASCADE, null=True, blank=True,
        help_text=_("Leave empty for every category of this kind."),
    )
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    limit = models.PositiveIntegerField(_("time limit"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=12, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)
    remind_at_percent = models.PositiveSmallIntegerField(
        _("remind at (percent of the limit)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    remind_before = models.PositiveSmallIntegerField(
        _("or remind this long before the limit"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("In the rule's unit, e.g. 1 working day before. When given, it replaces the percentage."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tier rule")
        verbose_name_plural = _("tier rules")
        ordering = ["kind", "category", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "category", "tier"], name="tier_rule_unique"),
            models.UniqueConstraint(
                fields=["kind", "tier"], condition=models.Q(category__isnull=True), name="tier_rule_unique_default"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.category or ''} {self.get_tier_display()}"

    def clean(self):
        if self.remind_before and self.limit and self.remind_before >= self.limit:
            raise ValidationError({"remind_before": _("The reminder must come before the limit.")})
        if self.unit == LimitUnit.HOURS and self.limit > 24 * 366:
            raise ValidationError({"limit": _("A limit in hours cannot be longer than a year.")})


class WorkdayOverride(models.Model):
    """An admin's word on one date: a local holiday, or next year's statutory
    schedule (holidays and make-up working days, 调休) before `chinesecalendar`
    knows it. Wins over the package and over the weekend rule."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"
