"""Sessions (调解会) in a room or on site, who sits in them, and their minutes.

No room and no person is ever in two sessions at once: PostgreSQL exclusion
constraints (btree_gist) on the time range refuse the second booking, whatever a
form checked before, also when two clerks book the same slot at the same
moment. Ranges are half-open, [starts_at, ends_at): 10:00-11:00 and 11:00-12:00
do not clash.
"""
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.choices import SessionStatus


class TsTzRange(Func):
    """tstzrange(start, end, '[)'): the time a session takes."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _period():
    return TsTzRange("starts_at", "ends_at", RangeBoundary())


class Session(models.Model):
    """One sitting of a mediation: when, in which room (or on site, at an address),
    with whom. Parties see its time on the public status page (a public timeline
    event). Cancelled sessions keep their row and free the slot."""

    mediation = models.ForeignKey("mediation.Mediation", verbose_name=_("mediation"), on_delete=models.CASCADE,
                                  related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey("mediation.Room", verbose_name=_("room"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="sessions")
    on_site_address = models.CharField(_("on site, at"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SessionStatus.choices,
                              default=SessionStatus.SCHEDULED)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("mediators and staff"),
                                   through="mediation.SessionSeat", related_name="mediation_sessions")
    parties = models.ManyToManyField("governance.Party", verbose_name=_("parties invited"), blank=True,
                                     related_name="mediation_sessions")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
                                  related_name="+")
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="session_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(room__isnull=False) | ~Q(on_site_address=""),
                                   name="session_room_or_site"),
            ExclusionConstraint(
                name="room_never_double_booked",
                expressions=[(_period(), RangeOperators.OVERLAPS), ("room", RangeOperators.EQUAL)],
                condition=Q(room__isnull=False) & ~Q(status=SessionStatus.CANCELLED),
            ),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{start:%Y-%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"

    @property
    def place(self) -> str:
        return str(self.room) if self.room_id else self.on_site_address


class SessionSeat(models.Model):
    """A person of staff (a mediator, a team member) in a session, with the session's
    time copied here so the database can refuse a person in two sessions at once.
    The copy changes only with the session (cancelled: ``is_active`` off)."""

    session = models.ForeignKey(Session, verbose_name=_("mediation session"), on_delete=models.CASCADE,
                                related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("session seat")
        verbose_name_plural = _("session seats")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_seat_unique"),
            ExclusionConstraint(
                name="person_never_double_booked",
                expressions=[(_period(), RangeOperators.OVERLAPS), ("user", RangeOperators.EQUAL)],
                condition=Q(is_active=True),
            ),
        ]


class Minutes(models.Model):
    """The minutes of a session (调解笔录): who attended, what was said, what was agreed."""

    session = models.OneToOneField(Session, verbose_name=_("mediation session"), on_delete=models.CASCADE,
                                   related_name="minutes")
    attendees = models.TextField(_("who attended"))
    statements = models.TextField(_("what was said"))
    agreed = models.TextField(_("what was agreed"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.session)
