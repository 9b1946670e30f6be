"""Reads of petitions, always through the matter's scope rule: lists, one
petition, the matters a new petition may be the same as, the first-visit
resolution rate, the backlog (积案), a leader's owned petitions and receptions."""
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from governance.cases.models import Case
from governance.cases.querysets import VIEW
from governance.choices import OPEN_STATUSES, TIER_ORDER, CaseKind, CaseStatus, tier_rank
from governance.timers.models import Clock
from petitions.choices import OPEN_STEPS, AppointmentStatus, Link
from petitions.clocks import ORGAN_KINDS
from petitions.models import Appointment, DutyShift, Milestone, Ownership, Petition, PetitionDocument, ReceptionDay

LIST_LIMIT = 20
BACKLOG_VISITS = 3  # petitioned three or more times


def petition_queryset(*, user):
    """Petitions whose matter ``user`` sees, with what lists show joined in."""
    visible = Case.objects.restrict(user, VIEW).order_by().values("pk")
    return (Petition.objects.filter(case__in=visible)
            .select_related("case__category", "case__region", "case__holder", "forwarded_to", "office"))


def petition_list(*, user, step="", q=""):
    petitions = petition_queryset(user=user).prefetch_related("case__clocks")
    if step:
        petitions = petitions.filter(step=step)
    if q:
        petitions = petitions.filter(case__text__search_text__contains=q.strip())
    return petitions.order_by("-received_on", "-case_id")


def petition_get(*, user, case_id) -> Petition:
    """One petition ``user`` sees, or Petition.DoesNotExist (also outside the scope)."""
    return (petition_queryset(user=user)
            .prefetch_related("case__clocks", "case__parties", "petitioners__party",
                              Prefetch("documents", queryset=PetitionDocument.objects.select_related("replaces")
                                       .order_by("issued_at", "id")))
            .get(pk=case_id))


def matching_matters(*, user, id_numbers=(), phones=(), category=None):
    """Matters that a new petition by these people in this category may be the same
    as: any open matter of theirs, and any petition of theirs whatever its step,
    newest first. (Places are not compared: a petitioner names the village one time
    and the grid the next.)"""
    id_numbers, phones = [v for v in id_numbers if v], [v for v in phones if v]
    if category is None or not (id_numbers or phones):
        return Case.objects.none()
    people = Q(parties__id_number__in=id_numbers) if id_numbers else Q()
    if phones:
        people |= Q(parties__phone__in=phones)
    return (Case.objects.restrict(user, VIEW)
            .filter(people, Q(status__in=OPEN_STATUSES) | Q(kind=CaseKind.PETITION), category=category)
            .distinct().select_related("holder", "category").order_by("-created_at")[:LIST_LIMIT])


def handled_below(*, user, id_numbers=(), phones=(), category=None):
    """Open matters of these people in this category held at a tier below the
    person's organisation, in their county, whether or not the person sees them:
    a petition office must know that a matter is being handled below (art. 19).
    The petitioners' own ID number or phone is what opens them, and only their
    number, holder and date are shown."""
    id_numbers, phones = [v for v in id_numbers if v], [v for v in phones if v]
    organisation = user.organisation
    if category is None or organisation is None or not (id_numbers or phones):
        return Case.objects.none()
    below = [tier for tier in TIER_ORDER if tier_rank(tier) < tier_rank(organisation.tier)]
    people = Q(parties__id_number__in=id_numbers) if id_numbers else Q()
    if phones:
        people |= Q(parties__phone__in=phones)
    return (Case.objects.filter(people, category=category, status__in=OPEN_STATUSES, tier__in=below,
                                region__path__startswith=organisation.region.county_path)
            .distinct().select_related("holder").order_by("-created_at"))


def candidates(*, user, id_numbers=(), phones=(), category=None) -> list[dict]:
    """The matching matters with what choosing one does (``services.registration.link_of``):
    not accepted as final (art. 36) or handled below (art. 19), or a repeat visit."""
    from django.core.exceptions import ValidationError

    from petitions.services.registration import link_of

    offered = []
    matters = list(matching_matters(user=user, id_numbers=id_numbers, phones=phones, category=category))
    petitions = Petition.objects.in_bulk([case.pk for case in matters])
    for case in matters:
        try:
            link = link_of(case, user)
        except ValidationError:
            continue
        offered.append({"case": case, "petition": petitions.get(case.pk), "link": link, "visible": True})
    seen = {case.pk for case in matters}
    for case in handled_below(user=user, id_numbers=id_numbers, phones=phones, category=category)[:LIST_LIMIT]:
        if case.pk not in seen:
            offered.append({"case": case, "petition": None, "link": Link.HANDLED_BELOW, "visible": False})
    return offered


def first_visit_rate(*, user, since=None, until=None) -> dict:
    """一次性化解率 (DOMAIN.md): first-time petitions settled at the first visit /
    first-time petitions, by the date received. First-time: not tied to an earlier
    matter. Settled at the first visit: answered (the matter resolved or closed)
    with no repeat visit and no review asked for."""
    petitions = petition_queryset(user=user).filter(original__isnull=True)
    if since:
        petitions = petitions.filter(received_on__gte=since)
    if until:
        petitions = petitions.filter(received_on__lte=until)
    counts = petitions.aggregate(
        first=Count("pk"),
        settled=Count("pk", filter=Q(case__visit_count=1, review_requested_on__isnull=True,
                                     case__status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])),
    )
    counts["rate"] = round(counts["settled"] * 100 / counts["first"], 2) if counts["first"] else None
    return counts


def backlog(*, user, now=None):
    """积案: open petitions past an organ's period (missed, or due and not yet
    swept), or petitioned three or more times; longest open first."""
    now = now or timezone.now()
    late_clock = Clock.objects.filter(case_id=OuterRef("case_id"), kind__in=ORGAN_KINDS, stopped_at__isnull=True,
                                      paused_at__isnull=True, due_at__lte=now)
    past_limit = Q(step__in=OPEN_STEPS) & (Q(overdue_since__isnull=False) | Q(Exists(late_clock)))
    return (petition_queryset(user=user).prefetch_related("case__clocks", ownerships_active())
            .annotate(past_limit=Q(past_limit))
            .filter(Q(past_limit) | Q(case__visit_count__gte=BACKLOG_VISITS))
            .order_by("received_on", "case_id"))


def ownerships_active():
    return Prefetch("ownerships", queryset=Ownership.objects.filter(ended_at__isnull=True).select_related("leader"),
                    to_attr="active_ownerships")


def owned_by(*, leader):
    """The leader's board: the petitions they own, with milestones and the latest notes."""
    return (Ownership.objects.filter(leader=leader, ended_at__isnull=True)
            .select_related("petition__case__holder", "petition__case__category", "assigned_by")
            .prefetch_related("petition__case__clocks", Prefetch("milestones", queryset=Milestone.objects.all()),
                              "notes__author")
            .order_by("target_on", "assigned_at"))


def reception_calendar(*, since=None, days=62):
    """Reception days and duty shifts from ``since`` (today) for ``days``, with the
    appointments booked on each day."""
    since = since or timezone.localdate()
    until = since + timedelta(days=days)
    booked = Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).order_by("period")
    reception_days = (ReceptionDay.objects.filter(date__gte=since, date__lte=until).select_related("leader")
                      .prefetch_related(Prefetch("appointments", queryset=booked)))
    shifts = (DutyShift.objects.filter(date__gte=since, date__lte=until).select_related("person")
              .order_by("date", "-duty", "person__last_name"))  # the leader on duty first
    return reception_days, shifts


def free_slots(day) -> list[dict]:
    """A reception day's slots from its hours, each with its booking if any."""
    booked = list(day.appointments.all()) if hasattr(day, "_prefetched_objects_cache") else list(
        day.appointments.exclude(status=AppointmentStatus.CANCELLED))
    slots, start = [], timezone.make_aware(datetime.combine(day.date, day.starts))
    end = timezone.make_aware(datetime.combine(day.date, day.ends))
    step = timedelta(minutes=day.slot_minutes)
    while start + step <= end:
        taken = next((a for a in booked if a.period.lower < start + step and a.period.upper > start), None)
        slots.append({"starts": start, "ends": start + step, "appointment": taken})
        start += step
    return slots

