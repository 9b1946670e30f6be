"""Reads of the mediation app, always through the matters' scope rule: a mediation
is seen by whoever sees its matter (its team was given the matter when it opened)."""
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from governance.cases.querysets import VIEW, AnyOf
from governance.models import Case, Clock
from mediation.choices import ACTIVE_STATUSES, RUNNING_STATUSES, SessionStatus
from mediation.models import Mediation, MediatorProfile, Room, Session, TeamMember

MEDIATION_CLOCKS = "mediation."


def visible_mediations(*, user):
    """Mediations on matters ``user`` sees."""
    cases = Case.objects.restrict(user, VIEW).order_by().values("pk")
    return (Mediation.objects.filter(AnyOf("case_id", cases))
            .select_related("case__category", "case__region", "case__holder", "body", "lead"))


def mediation_list(*, user, filters=None):
    from mediation.filtersets import MediationFilter

    return MediationFilter(filters or {}, queryset=visible_mediations(user=user), request_user=user)


def mediation_get(*, user, mediation_id) -> Mediation:
    """One mediation ``user`` may see, or Mediation.DoesNotExist."""
    return visible_mediations(user=user).prefetch_related(
        Prefetch("members", queryset=TeamMember.objects.select_related("user__organisation")),
        "agreements", "follow_ups", "referrals__court_station",
    ).get(pk=mediation_id)


def case_mediation(*, case):
    """The matter's active mediation, else its latest."""
    mediations = Mediation.objects.filter(case=case).select_related("lead", "body")
    return mediations.filter(status__in=ACTIVE_STATUSES).first() or mediations.first()


def mediation_clocks(mediation):
    return Clock.objects.filter(case_id=mediation.case_id, kind__startswith=MEDIATION_CLOCKS,
                                started_at__gte=mediation.opened_at).order_by("-started_at")


def sessions_of(mediation):
    return (mediation.sessions.select_related("room__center", "minutes")
            .prefetch_related("staff", "parties").order_by("starts_at"))


def week_of(day: date) -> tuple[date, datetime, datetime]:
    """(Monday, its 00:00, the next Monday's 00:00) of ``day``'s week, local time."""
    monday = day - timedelta(days=day.weekday())
    tz = timezone.get_current_timezone()
    return monday, datetime.combine(monday, time(), tz), datetime.combine(monday + timedelta(days=7), time(), tz)


def parse_week(text) -> date:
    """"2026-W49" or "2026-12-01" -> that week's Monday; anything else: this week's."""
    text = (text or "").strip()
    try:
        day = (datetime.strptime(text + "-1", "%G-W%V-%u") if "W" in text
               else datetime.strptime(text, "%Y-%m-%d")).date()
    except ValueError:
        day = timezone.localdate()
    return week_of(day)[0]


def week_sessions(*, user, monday: date, room=None, person=None):
    """The week's sessions of a room or a person (cancelled ones left out), as
    [(day, [session, ...]) x 7]. Sessions of matters ``user`` does not see show
    only as busy (their mediation is not loaded for the page)."""
    _monday, start, end = week_of(monday)
    sessions = Session.objects.filter(starts_at__lt=end, ends_at__gt=start).exclude(status=SessionStatus.CANCELLED)
    if room is not None:
        sessions = sessions.filter(room=room)
    if person is not None:
        sessions = sessions.filter(seats__user=person, seats__is_active=True)
    visible = set(visible_mediations(user=user).values_list("pk", flat=True)) if sessions.exists() else set()
    days = [(monday + timedelta(days=n), []) for n in range(7)]
    for session in sessions.select_related("room__center", "mediation__case").order_by("starts_at"):
        session.visible = session.mediation_id in visible
        local_day = timezone.localtime(session.starts_at).date()
        for day, listed in days:
            if day == local_day:
                listed.append(session)
    return days


def my_desk(*, user, today: date):
    """The mediator's desk: the mediations they lead or sit in (not closed), what is
    due today, this week's sessions."""
    mine = visible_mediations(user=user).filter(Q(lead=user) | Q(members__user=user)).distinct()
    open_ones = list(mine.filter(status__in=ACTIVE_STATUSES).order_by("status", "-opened_at"))
    _monday, week_start, week_end = week_of(today)
    day_start = datetime.combine(today, time(), timezone.get_current_timezone())
    day_end = day_start + timedelta(days=1)
    case_ids = [m.case_id for m in open_ones]
    due_today = list(Clock.objects.filter(
        case_id__in=case_ids, kind__startswith=MEDIATION_CLOCKS, stopped_at__isnull=True).filter(
        Q(due_at__lt=day_end) | Q(remind_at__lt=day_end)).select_related("case").order_by("due_at"))
    sessions = list(Session.objects.filter(seats__user=user, seats__is_active=True, starts_at__gte=week_start,
                                           starts_at__lt=week_end)
                    .exclude(status=SessionStatus.CANCELLED).select_related("room__center", "mediation__case")
                    .order_by("starts_at"))
    desk = {
        "open": open_ones, "due_today": due_today, "sessions": sessions,
        "sessions_today": [s for s in sessions if day_start <= s.starts_at < day_end],
        "awaiting_me": [m for m in open_ones if m.status == "proposed" and m.lead_id == user.pk],
        "running": [m for m in open_ones if m.status in RUNNING_STATUSES],
    }
    desk["due_count"] = len(desk["due_today"]) + len(desk["sessions_today"]) + len(desk["awaiting_me"])
    return desk


def rooms_in_county(*, user):
    rooms = Room.objects.filter(is_active=True).select_related("center__region")
    if user.is_superuser or user.organisation_id is None:
        return rooms
    return rooms.filter(center__region__path__startswith=user.organisation.region.county_path)


def mediators_in_county(*, user):
    profiles = MediatorProfile.objects.filter(is_active=True).select_related("user", "body__region") \
        .prefetch_related("specialties")
    if user.is_superuser or user.organisation_id is None:
        return profiles
    return profiles.filter(body__region__path__startswith=user.organisation.region.county_path)


def rooms_for(case):
    """The active rooms of the matter's county, those of its own places' centers first
    (the village's room, then the town's, then the county's)."""
    rooms = Room.objects.filter(is_active=True, center__region__path__startswith=case.region.county_path)
    return sorted(rooms.select_related("center__region"),
                  key=lambda room: (not case.region.path.startswith(room.center.region.path),
                                    -room.center.region.depth, room.name))
