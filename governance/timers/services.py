"""Writes to clocks: start, stop, pause, resume, extend; and the tier clock every
open matter runs (its limit from the tier rules).

Callers hold the matter's row lock (the services that change matters do), and
lock the matter before its clocks, as the sweep does, so the two never deadlock.
"""
from django.utils import timezone

from governance.cases.models import Case
from governance.timers.calendar import units_between
from governance.timers.deadlines import Limit, Timers, tier_limit, timers_for
from governance.timers.models import Clock, ClockOutcome

TIER = "tier"  # the clock of the matter's current tier: escalation at the limit


def clock_insert(*, case_id, kind, limit: Limit, start, timers: Timers, data=None) -> Clock:
    """Insert a running clock with timers already computed (no other clock of the kind may run)."""
    return Clock.objects.create(
        case_id=case_id, kind=kind, unit=limit.unit, limit=limit.limit, started_at=start,
        due_at=timers.deadline, remind_at=timers.remind_at, data={**(data or {}), **remind_spec(limit)},
    )


def remind_spec(limit: Limit) -> dict:
    return {"remind_percent": limit.remind_percent, "remind_before": limit.remind_before}


def limit_of(clock: Clock) -> Limit:
    return Limit(clock.limit, clock.unit, clock.data.get("remind_percent"), clock.data.get("remind_before"))


def clock_start(*, case, kind, limit: Limit, start=None, data=None) -> Clock:
    """Start a clock of ``kind`` on ``case`` at ``start`` (default now); a clock of
    the same kind still running is cancelled first."""
    start = start or timezone.now()
    clock_stop(case=case, kind=kind, outcome=ClockOutcome.CANCELLED, at=start)
    return clock_insert(case_id=case.pk, kind=kind, limit=limit, start=start, timers=timers_for(limit, start),
                        data=data)


def clock_stop(*, case, kind, outcome=ClockOutcome.MET, at=None) -> int:
    """Stop the running clock of ``kind`` (if any); returns how many stopped (0 or 1)."""
    return Clock.objects.filter(case=case, kind=kind, stopped_at__isnull=True).update(
        stopped_at=at or timezone.now(), outcome=outcome
    )


def running_clock(*, case, kind) -> Clock | None:
    return Clock.objects.filter(case=case, kind=kind, stopped_at__isnull=True).select_for_update().first()


def _retime(clock: Clock, *, now):
    """Recompute due and reminder from the start, the limit and the pauses; a
    reminder already sent is not sent again."""
    timers = timers_for(limit_of(clock), clock.started_at, paused_units=clock.paused_units)
    clock.due_at = timers.deadline
    if clock.reminded_at is None:
        clock.remind_at = timers.remind_at
    clock.save(update_fields=["due_at", "remind_at", "paused_at", "paused_units", "limit"])
    if clock.kind == TIER:  # the matter keeps its tier clock's due time for lists
        Case.objects.filter(pk=clock.case_id).update(deadline=clock.due_at)
    return clock


def clock_pause(*, case, kind, at=None) -> Clock | None:
    """Stop counting (e.g. a hearing in re-review: its time is not counted)."""
    clock = running_clock(case=case, kind=kind)
    if clock is None or clock.paused_at is not None:
        return clock
    clock.paused_at = at or timezone.now()
    clock.save(update_fields=["paused_at"])
    return clock


def clock_resume(*, case, kind, at=None) -> Clock | None:
    """Count again; the time paused, in the clock's unit, moves the deadline out."""
    clock = running_clock(case=case, kind=kind)
    if clock is None or clock.paused_at is None:
        return clock
    at = at or timezone.now()
    clock.paused_units += units_between(clock.paused_at, at, clock.unit)
    clock.paused_at = None
    return _retime(clock, now=at)


def clock_extend(*, case, kind, by: int) -> Clock | None:
    """Lengthen a running clock's limit by ``by`` units (an approved extension)."""
    clock = running_clock(case=case, kind=kind)
    if clock is None:
        return None
    clock.limit += by
    return _retime(clock, now=timezone.now())


# -- the tier clock -----------------------------------------------------------

def tier_timers(case, *, start) -> tuple[Limit, Timers]:
    limit = tier_limit(kind=case.kind, category_id=case.category_id, tier=case.tier)
    return limit, timers_for(limit, start)


def start_tier_clock(case, *, start=None) -> Clock:
    """Start the limit of the tier the (saved, locked) matter is at now, and keep
    its deadline on the matter for lists; the previous tier's clock is cancelled."""
    start = start or timezone.now()
    limit, timers = tier_timers(case, start=start)
    clock_stop(case=case, kind=TIER, outcome=ClockOutcome.CANCELLED, at=start)
    clock = clock_insert(case_id=case.pk, kind=TIER, limit=limit, start=start, timers=timers)
    case.deadline, case.overdue_at = timers.deadline, None
    Case.objects.filter(pk=case.pk).update(deadline=timers.deadline, overdue_at=None)
    return clock


def stop_tier_clock(case, *, outcome=ClockOutcome.MET, at=None) -> int:
    return clock_stop(case=case, kind=TIER, outcome=outcome, at=at)
