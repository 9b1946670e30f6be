"""Leaders' reception days (领导接访) and appointments (约访): dated days from the
standing schedules, booking a petitioner into a slot (the database refuses a
double booking), and the record of each reception (接访记录)."""
from calendar import monthrange
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.services import case_get_for
from governance.choices import NotificationKind, Role
from governance.notifications.models import Notification
from governance.notifications.services import notify_many
from governance.timers.calendar import days_for
from intake.validators import clean_phone
from petitions.choices import AppointmentStatus
from petitions.models import Appointment, ReceptionDay, ReceptionRecord, ReceptionSchedule
from petitions.services.common import BOOK, SEES, InvalidTransition, center_language, record, refuse_without

DEFAULT_MINUTES = 30


class SlotTaken(InvalidTransition):
    """The leader is booked at that time already (a 409 naming the clashing booking)."""

    def __init__(self, message, clash):
        super().__init__(message)
        self.clash = clash


def reception_days_plan(*, months=3, today=None) -> int:
    """Dated reception days for every active schedule, this month and the next
    ``months`` (a day already planned is kept as it is). A day of the month on a
    rest day or holiday moves to the next working day when the schedule says so."""
    today = today or timezone.localdate()
    created = 0
    calendar = days_for(today, 31 * (months + 1))
    for schedule in ReceptionSchedule.objects.filter(is_active=True, leader__is_active=True):
        for offset in range(months + 1):
            year, month = divmod(today.month - 1 + offset, 12)
            year, month = today.year + year, month + 1
            day = date(year, month, min(schedule.day_of_month, monthrange(year, month)[1]))
            while schedule.next_working_day and not calendar.is_working_day(day):
                day += timedelta(days=1)
            if day < today:
                continue
            _row, was_created = ReceptionDay.objects.get_or_create(
                leader=schedule.leader, date=day,
                defaults={"starts": schedule.starts, "ends": schedule.ends, "slot_minutes": schedule.slot_minutes,
                          "place": schedule.place, "schedule": schedule})
            created += was_created
    return created


def _aware(day, moment):
    return timezone.make_aware(datetime.combine(day, moment))


@transaction.atomic
def appointment_book(*, actor, leader, starts, name, minutes=None, phone="", topic="", case=None,
                     day=None) -> Appointment:
    """Book a petitioner to see ``leader`` from ``starts``: in a reception day's
    hours, or by appointment (约访) at any other time. The exclusion constraint
    refuses an overlapping booking of the same leader, whatever was checked here."""
    refuse_without(actor, BOOK)
    if leader is None or leader.role != Role.LEADER or not leader.is_active:
        raise ValidationError({"leader": _("Choose a leader who receives petitioners.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the petitioner's name.")})
    phone = clean_phone(phone) if (phone or "").strip() else ""
    if starts is None or starts < timezone.now():
        raise ValidationError({"starts": _("Choose a time that has not passed.")})
    if day is not None:
        minutes = minutes or day.slot_minutes
        opens, closes = _aware(day.date, day.starts), _aware(day.date, day.ends)
        if day.leader_id != leader.pk or not opens <= starts < closes or starts + timedelta(minutes=minutes) > closes:
            raise ValidationError({"starts": _("Choose a time within the reception day's hours.")})
    minutes = minutes or DEFAULT_MINUTES
    if case is not None:
        case = case_get_for(case_id=case.pk, actor=actor, action=SEES)
    period = DateTimeTZRange(starts, starts + timedelta(minutes=minutes), "[)")
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(leader=leader, day=day, period=period, case=case, name=name,
                                                     phone=phone, topic=(topic or "").strip(), booked_by=actor)
    except IntegrityError as error:
        if "appointment_no_double_booking" not in str(error):
            raise
        clash = (Appointment.objects.filter(leader=leader, period__overlap=period)
                 .exclude(status=AppointmentStatus.CANCELLED).first())
        raise SlotTaken(_("%(leader)s is booked from %(start)s to %(end)s already (%(name)s); choose another time.")
                        % {"leader": leader.display_name, "start": f"{timezone.localtime(clash.starts):%H:%M}",
                           "end": f"{timezone.localtime(clash.ends):%H:%M}", "name": clash.name}, clash) from None
    if case is not None:
        with center_language():
            note = _("Booked to see %(leader)s on %(when)s.") % {
                "leader": leader.display_name, "when": f"{timezone.localtime(starts):%Y-%m-%d %H:%M}"}
        record(case, actor=actor, step="appointment", note=note, appointment=appointment.pk)
        notify_many([Notification(user=leader, case=case, kind=NotificationKind.MESSAGE, note=note)])
    return appointment


@transaction.atomic
def appointment_cancel(*, actor, appointment_id) -> Appointment:
    refuse_without(actor, BOOK)
    appointment = Appointment.objects.select_for_update().filter(pk=appointment_id).first()
    if appointment is None:
        raise ValidationError({"appointment": _("There is no such appointment.")})
    if appointment.status != AppointmentStatus.BOOKED:
        raise InvalidTransition(_("Only a booked appointment can be cancelled."))
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status"])
    return appointment


@transaction.atomic
def reception_record(*, actor, leader, received_at, attendees, demands, instructions="", appointment=None,
                     case=None) -> ReceptionRecord:
    """接访记录: who came, what they asked for, what the leader instructed; on the
    matter's timeline when it concerns one."""
    refuse_without(actor, BOOK)
    attendees, demands = (attendees or "").strip(), (demands or "").strip()
    if not attendees:
        raise ValidationError({"attendees": _("Please say who came.")})
    if not demands:
        raise ValidationError({"demands": _("Please write what they asked for.")})
    if received_at is None or received_at > timezone.now():
        raise ValidationError({"received_at": _("The reception cannot be in the future.")})
    if appointment is not None:
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if hasattr(appointment, "record"):
            raise InvalidTransition(_("This reception was recorded already."))
        leader, case = appointment.leader, case or appointment.case
        appointment.status = AppointmentStatus.RECEIVED
        appointment.save(update_fields=["status"])
    if leader is None:
        raise ValidationError({"leader": _("Choose the leader who received them.")})
    if case is not None:
        case = case_get_for(case_id=case.pk, actor=actor, action=SEES)
    row = ReceptionRecord.objects.create(appointment=appointment, case=case, leader=leader, received_at=received_at,
                                         attendees=attendees, demands=demands,
                                         instructions=(instructions or "").strip(), recorded_by=actor)
    if case is not None:
        with center_language():
            record(case, actor=actor, step="received", note=_("Received by %(leader)s on %(when)s. Instructions: "
                                                              "%(instructions)s") % {
                "leader": leader.display_name, "when": f"{timezone.localtime(received_at):%Y-%m-%d %H:%M}",
                "instructions": row.instructions or "—"}, public=False, reception=row.pk)
    return row
