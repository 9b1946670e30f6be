from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.choices import CaseKind, Tier
from governance.history import track_versions


class LimitUnit(models.TextChoices):
    """How a time limit is counted (see governance.timers.calendar)."""

    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("days (as the law counts)")
    HOURS = "hours", _("hours")


class ClockOutcome(models.TextChoices):
    MET = "met", _("met")  # what the clock waited for happened in time
    MISSED = "missed", _("missed")  # the limit ran out; the clock's action was taken
    CANCELLED = "cancelled", _("cancelled")  # no longer applies (moved, withdrawn)


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
    unit = models.CharField(_("unit"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)
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
        if self.unit != LimitUnit.HOURS and self.limit and self.limit > 366:
            raise ValidationError({"limit": _("A limit in days cannot be longer than a year.")})


class HolidaySchedule(models.Model):
    """A year's official schedule of holidays and make-up working days (调休), as
    the State Council publishes it, loaded by an admin. For a loaded year its
    dates (``WorkdayOverride`` rows of this schedule) and the weekday rule decide,
    over both calendar packages; deadlines in it are no longer provisional."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("e.g. the State Council notice that published it."))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("official holiday schedule")
        verbose_name_plural = _("official holiday schedules")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class WorkdayOverride(models.Model):
    """An admin's word on one date: a local holiday, or a date of a loaded official
    schedule (holidays and make-up working days, 调休). Wins over the packages
    and over the weekend rule."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    schedule = models.ForeignKey(HolidaySchedule, verbose_name=_("official schedule"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="days")

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


class Clock(models.Model):
    """One time limit running on a matter: the tier's limit, a petition's statutory
    step, a mediation's month... Each has a kind, whose handler (registered by the
    app that starts such clocks) acts when it runs out; the one sweep
    (``governance.timers.sweep``) claims due clocks set-based.

    ``limit`` and ``unit`` say how it is counted from ``started_at``; time spent
    paused is added as ``paused_units`` (in the same unit), so ``due_at`` is always
    the limit counted from the start plus the pauses. Stopped clocks stay as the
    record: when, and whether the limit was met."""

    # Indexed by clock_case_kind below (case first), so no index of its own.
    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.CASCADE,
                             related_name="clocks", db_index=False)
    kind = models.CharField(_("kind"), max_length=40)
    unit = models.CharField(_("unit"), max_length=16, choices=LimitUnit.choices)
    limit = models.PositiveIntegerField(_("time limit"))
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_units = models.PositiveIntegerField(_("time paused (in the unit)"), default=0, db_default=0)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ClockOutcome.choices, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        ordering = ["due_at", "id"]
        indexes = [
            # The sweep's two claims: due clocks and due reminders of running, unpaused clocks.
            models.Index(fields=["due_at"], name="clock_due",
                         condition=models.Q(stopped_at__isnull=True, paused_at__isnull=True)),
            models.Index(fields=["remind_at"], name="clock_remind",
                         condition=models.Q(stopped_at__isnull=True, paused_at__isnull=True,
                                            remind_at__isnull=False)),
            models.Index(fields=["case", "kind"], name="clock_case_kind"),
        ]
        constraints = [
            # A matter runs at most one clock of a kind at a time: starting one stops the last.
            models.UniqueConstraint(fields=["case", "kind"], condition=models.Q(stopped_at__isnull=True),
                                    name="one_running_clock_per_kind"),
            models.CheckConstraint(condition=models.Q(stopped_at__isnull=True) | ~models.Q(outcome=""),
                                   name="stopped_clock_has_outcome"),
        ]

    def __str__(self):
        return f"{self.kind} {self.case_id}"

    @property
    def is_running(self):
        return self.stopped_at is None

    @property
    def state(self) -> str:
        if self.stopped_at is not None:
            return self.outcome
        return "paused" if self.paused_at is not None else "running"

    @property
    def state_label(self) -> str:
        labels = {"running": _("running"), "paused": pgettext_lazy("clock", "paused"), **dict(ClockOutcome.choices)}
        return str(labels[self.state])

    @property
    def last_day(self):
        """The last day of a period counted in legal days (it ends at 24:00 of that day)."""
        return timezone.localtime(self.due_at - timedelta(seconds=1)).date()
