from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.choices import AppointmentStatus, Duty


class ReceptionSchedule(models.Model):
    """A leader's standing reception day (领导接访日), e.g. the 15th of each month;
    ``reception_days_plan`` turns it into dated reception days."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.CASCADE,
                               related_name="reception_schedules", limit_choices_to={"role": "leader"})
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), default=15,
                                                    validators=[MinValueValidator(1), MaxValueValidator(28)])
    starts = models.TimeField(_("from"), default="09:00")
    ends = models.TimeField(_("until"), default="11:30")
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per appointment"), default=30,
                                                    validators=[MinValueValidator(10), MaxValueValidator(240)])
    place = models.CharField(_("place"), max_length=120)
    next_working_day = models.BooleanField(
        _("on a rest day, the next working day"), default=True,
        help_text=_("When the day falls on a weekend or holiday, receive on the next working day."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        ordering = ["day_of_month", "leader"]

    def __str__(self):
        return _("%(leader)s, day %(day)s of each month") % {"leader": self.leader, "day": self.day_of_month}

    def clean(self):
        if self.starts and self.ends and self.starts >= self.ends:
            raise ValidationError({"ends": _("The reception must end after it starts.")})


class ReceptionDay(models.Model):
    """One dated reception by a leader (领导接访), where petitioners are booked into slots."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.CASCADE,
                               related_name="reception_days", limit_choices_to={"role": "leader"})
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per appointment"), default=30)
    place = models.CharField(_("place"), max_length=120)
    schedule = models.ForeignKey(ReceptionSchedule, verbose_name=_("schedule"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="days")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "starts"]
        constraints = [models.UniqueConstraint(fields=["leader", "date"], name="reception_day_unique"),
                       models.CheckConstraint(condition=models.Q(starts__lt=models.F("ends")),
                                              name="reception_day_ends_after_start")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.leader}"

    def clean(self):
        if self.starts and self.ends and self.starts >= self.ends:
            raise ValidationError({"ends": _("The reception must end after it starts.")})


class DutyShift(models.Model):
    """One day of the petition reception duty rota (值班表): who leads, who is on duty."""

    date = models.DateField(_("date"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="duty_shifts")
    duty = models.CharField(_("duty"), max_length=10, choices=Duty.choices, default=Duty.DUTY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty rota")
        ordering = ["date", "duty", "person"]
        constraints = [models.UniqueConstraint(fields=["date", "person"], name="duty_shift_unique")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.person} ({self.get_duty_display()})"


class Appointment(models.Model):
    """A petitioner booked to see a leader: in a reception day's slot, or by
    appointment (约访). A leader is never booked twice for the same time: the
    database refuses overlapping periods (btree_gist exclusion constraint)."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
                               related_name="appointments")
    day = models.ForeignKey(ReceptionDay, verbose_name=_("reception day"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="appointments")
    period = DateTimeRangeField(_("time"))
    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="reception_appointments")
    name = models.CharField(_("petitioner"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    topic = models.CharField(_("about"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("reception appointment")
        verbose_name_plural = _("reception appointments")
        ordering = ["period"]
        constraints = [
            ExclusionConstraint(
                name="appointment_no_double_booking", index_type="gist",
                expressions=[("leader", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=~models.Q(status=AppointmentStatus.CANCELLED),
            ),
        ]

    def __str__(self):
        return f"{self.name} {timezone.localtime(self.period.lower):%Y-%m-%d %H:%M}"

    @property
    def starts(self):
        return self.period.lower

    @property
    def ends(self):
        return self.period.upper


class ReceptionRecord(models.Model):
    """The record of one reception (接访记录): who came, what they asked, what the leader instructed."""

    appointment = models.OneToOneField(Appointment, verbose_name=_("appointment"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="record")
    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="reception_records")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
                               related_name="reception_records")
    received_at = models.DateTimeField(_("received at"))
    attendees = models.CharField(_("who came"), max_length=300)
    demands = models.TextField(_("what they asked"))
    instructions = models.TextField(_("leader's instructions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("reception record")
        verbose_name_plural = _("reception records")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{timezone.localtime(self.received_at):%Y-%m-%d %H:%M} {self.attendees}"
