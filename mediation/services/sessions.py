"""Sessions: book a slot in a room or on site, cancel it, record its minutes.

The database refuses a room or a person in two sessions at once (exclusion
constraints, see ``mediation.models.sessions``). Two bookings that touch the
same room or person queue on transaction advisory locks (taken in one order)
before they look, so the second sees the first's committed session and is told
who holds the slot; two inserts racing into an exclusion constraint would
otherwise deadlock each other rather than be refused. The constraint stays the
last word (savepoint). Either way: ``SessionClash`` (a 409), nothing saved.
"""
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.querysets import VIEW
from governance.models import Case, Party, User
from mediation.choices import RUNNING_STATUSES, MediationStatus, SessionStatus, TeamRole
from mediation.models import Minutes, Session, SessionSeat
from mediation.permissions import BOOK, CONDUCT
from mediation.services.common import (
    CaseChangeForbidden,
    CaseNotFound,
    InvalidTransition,
    ValidationError,
    center_language,
    event,
    is_mediating,
    lock_mediation,
    moment,
    notify,
    require,
    require_team_or_holder,
    required,
    save,
    step,
)

EXCLUSION_VIOLATION = "23P01"
ROOM_LOCKS, PERSON_LOCKS = 7_320_461, 7_320_462  # advisory-lock namespaces (key pairs: namespace, id)
LONGEST = timedelta(hours=12)


class SessionClash(InvalidTransition):
    """The slot is taken: ``session`` holds it (in ``room``, or with ``person``)."""

    def __init__(self, message, *, session, room=None, person=None):
        super().__init__(message)
        self.session, self.room, self.person = session, room, person


def _overlapping(starts_at, ends_at):
    return Q(starts_at__lt=ends_at, ends_at__gt=starts_at)


def _clash(*, room, staff, starts_at, ends_at, actor):
    """The session that holds the slot, as a SessionClash, or None."""
    if room is not None:
        taken = (Session.objects.filter(_overlapping(starts_at, ends_at), room=room)
                 .exclude(status=SessionStatus.CANCELLED).select_related("mediation__case").first())
        if taken is not None:
            return _clash_error(taken, actor, room=room)
    seat = (SessionSeat.objects.filter(_overlapping(starts_at, ends_at), user__in=staff, is_active=True)
            .select_related("session__mediation__case", "user").first())
    if seat is not None:
        return _clash_error(seat.session, actor, person=seat.user)
    return None


def _clash_error(session, actor, *, room=None, person=None):
    what = _("room “%(room)s”") % {"room": room} if room is not None else str(person)
    case = session.mediation.case
    # The matter's number only for those who may see that matter.
    visible = Case.objects.restrict(actor, VIEW).filter(pk=case.pk).exists()
    details = {"what": what, "id": session.pk, "start": moment(session.starts_at),
               "end": f"{timezone.localtime(session.ends_at):%H:%M}", "number": case.number}
    if visible:
        message = _("This slot is taken: %(what)s is already booked for session %(id)s, %(start)s–%(end)s "
                    "(matter %(number)s). Choose another time or room.") % details
    else:
        message = _("This slot is taken: %(what)s is already booked for session %(id)s, %(start)s–%(end)s. "
                    "Choose another time or room.") % details
    return SessionClash(message, session=session, room=room, person=person)


def _queue_for_slot(room, staff):
    """Wait for any other booking of this room or these people to finish (until commit)."""
    keys = ([(ROOM_LOCKS, room.pk)] if room is not None else []) + sorted((PERSON_LOCKS, user.pk) for user in staff)
    with connection.cursor() as cursor:
        for namespace, key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])


def _check_slot(mediation, *, starts_at, ends_at, room, on_site_address, staff, parties):
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("Give the start and the end of the session.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if ends_at - starts_at > LONGEST:
        raise ValidationError({"ends_at": _("A session lasts at most 12 hours.")})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("This time has passed; choose a time to come.")})
    if (room is None) == (not on_site_address):
        raise ValidationError({"room": _("Choose a room, or give the address of an on-site session.")})
    county = mediation.case.region.county_path
    if room is not None and (not room.is_active or not room.center.region.path.startswith(county)):
        raise ValidationError({"room": _("Choose an active room of this county.")})
    if any(not user.is_active for user in staff):
        raise ValidationError({"participants": _("Only active staff take part in a session.")})
    if any(party.case_id != mediation.case_id for party in parties):
        raise ValidationError({"parties": _("Invite the parties of this matter.")})
    if room is not None and len(staff) + len(parties) > room.capacity:
        raise ValidationError({"room": _("“%(room)s” seats %(capacity)s; %(count)s are invited.")
                               % {"room": room, "capacity": room.capacity, "count": len(staff) + len(parties)}})


@transaction.atomic
def session_book(*, mediation_id, actor, starts_at, ends_at, room=None, on_site_address="", participants=None,
                 parties=None) -> Session:
    """Book a session of a running mediation. ``participants``: the staff who sit in
    it (default: the lead and the team's mediators); ``parties``: the parties invited
    (default: all of the matter's). The parties see the time on the status page."""
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_team_or_holder(actor, mediation, BOOK)
    if mediation.status not in RUNNING_STATUSES:
        raise InvalidTransition(_("Sessions are booked for an accepted mediation that has no outcome yet; this one "
                                  "is “%(status)s”.") % {"status": mediation.get_status_display()})
    on_site_address = (on_site_address or "").strip()
    if participants is None:
        participants = [mediation.lead, *User.objects.filter(
            mediation_roles__mediation=mediation,
            mediation_roles__role__in=(TeamRole.MEDIATOR, TeamRole.PRO_MEDIATOR)).exclude(pk=mediation.lead_id)]
    staff = list({user.pk: user for user in participants}.values())
    parties = list(Party.objects.filter(case=mediation.case)) if parties is None else list(parties)
    _check_slot(mediation, starts_at=starts_at, ends_at=ends_at, room=room, on_site_address=on_site_address,
                staff=staff, parties=parties)
    _queue_for_slot(room, staff)
    clash = _clash(room=room, staff=staff, starts_at=starts_at, ends_at=ends_at, actor=actor)
    if clash is not None:
        raise clash
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal leaves the transaction usable
            session = Session.objects.create(mediation=mediation, starts_at=starts_at, ends_at=ends_at, room=room,
                                             on_site_address=on_site_address, booked_by=actor)
            SessionSeat.objects.bulk_create([SessionSeat(session=session, user=user, starts_at=starts_at,
                                                         ends_at=ends_at) for user in staff])
    except IntegrityError as error:
        if getattr(error.__cause__, "pgcode", None) != EXCLUSION_VIOLATION:
            raise
        # Another booking won the race and committed: name it.
        raise _clash(room=room, staff=staff, starts_at=starts_at, ends_at=ends_at, actor=actor) or InvalidTransition(
            _("This slot was just taken; choose another time or room.")) from None
    session.parties.set(parties)
    if mediation.status == MediationStatus.ACCEPTED:
        step(mediation, "schedule")
        save(mediation)
    with center_language():
        text = _("Mediation session on %(start)s–%(end)s at %(place)s.") % {
            "start": moment(starts_at), "end": f"{timezone.localtime(ends_at):%H:%M}", "place": session.place}
        event(mediation, actor=actor, step_name="session_booked", note=text, citizen=True,
              data={"session": session.pk})
        notify(mediation, text, users=[user for user in staff if user.pk != actor.pk])
    return session


def _lock_session(*, session_id, actor):
    mediation_id = Session.objects.filter(pk=session_id).values_list("mediation_id", flat=True).first()
    if mediation_id is None:
        raise CaseNotFound(session_id)
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    session = Session.objects.select_for_update(of=("self",)).select_related("room__center").get(pk=session_id)
    session.mediation = mediation
    return mediation, session


@transaction.atomic
def session_cancel(*, session_id, actor, reason) -> Session:
    """Cancel a session to come: its room and people are free again."""
    reason = required(reason, "reason", _("Please give the reason for cancelling."))
    mediation, session = _lock_session(session_id=session_id, actor=actor)
    require_team_or_holder(actor, mediation, BOOK)
    if session.status != SessionStatus.SCHEDULED:
        raise InvalidTransition(_("Only a session that has not been held can be cancelled."))
    session.status, session.cancelled_reason = SessionStatus.CANCELLED, reason[:200]
    session.save(update_fields=["status", "cancelled_reason"])
    session.seats.update(is_active=False)
    booked = mediation.sessions.exclude(status=SessionStatus.CANCELLED).exists()
    if mediation.status == MediationStatus.SCHEDULED and not booked:
        step(mediation, "unschedule")
        save(mediation)
    with center_language():
        text = _("The mediation session of %(start)s was cancelled.") % {"start": moment(session.starts_at)}
        event(mediation, actor=actor, step_name="session_cancelled", note=text, citizen=True,
              data={"session": session.pk, "reason": reason})
        notify(mediation, text, users=[user for user in session.staff.all() if user.pk != actor.pk])
    return session


@transaction.atomic
def minutes_record(*, session_id, actor, attendees, statements, agreed="") -> Minutes:
    """The minutes (调解笔录) of a session that has begun, by a mediator of the team:
    the session is held, and the mediation is under way."""
    attendees = required(attendees, "attendees", _("Write who attended."))
    statements = required(statements, "statements", _("Write what was said."))
    mediation, session = _lock_session(session_id=session_id, actor=actor)
    require(actor, CONDUCT)
    if not is_mediating(actor, mediation):
        raise CaseChangeForbidden(_("Only the mediators of this mediation record its minutes."))
    if session.status == SessionStatus.CANCELLED:
        raise InvalidTransition(_("This session was cancelled."))
    if hasattr(session, "minutes"):
        raise InvalidTransition(_("This session's minutes are recorded already."))
    if session.starts_at > timezone.now():
        raise InvalidTransition(_("This session has not begun yet."))
    if mediation.status not in (MediationStatus.SCHEDULED, MediationStatus.IN_MEDIATION):
        raise InvalidTransition(_("A mediation that is “%(status)s” takes no more minutes.")
                                % {"status": mediation.get_status_display()})
    minutes = Minutes.objects.create(session=session, attendees=attendees, statements=statements,
                                     agreed=(agreed or "").strip(), recorded_by=actor)
    session.status = SessionStatus.HELD
    session.save(update_fields=["status"])
    if mediation.status == MediationStatus.SCHEDULED:
        step(mediation, "begin")
        save(mediation)
    with center_language():
        event(mediation, actor=actor, step_name="minutes", data={"session": session.pk},
              note=_("Minutes of the session of %(start)s recorded.") % {"start": moment(session.starts_at)})
    return minutes

