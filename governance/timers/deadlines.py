"""Deadlines and reminder times from the tier rules and the working-day calendar."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from governance.timers.models import LimitUnit, TierRule
from governance.timers.calendar import add_working_days

# Until an admin has written a rule for a kind and tier: the dispute defaults.
FALLBACK_WORKING_DAYS = {"village": 5, "town": 10, "county": 30}
FALLBACK_REMIND_PERCENT = 80


@dataclass(frozen=True)
class Timers:
    deadline: datetime
    remind_at: datetime


def rule_for(*, kind, category_id, tier):
    """The most specific active rule: kind + category first, then kind alone."""
    candidates = TierRule.objects.filter(
        Q(category_id=category_id) | Q(category__isnull=True), kind=kind, tier=tier, is_active=True
    ).order_by("category_id")  # NULLs sort last in PostgreSQL: the specific rule first
    return candidates.first()


def timers_for(*, limit, unit, remind_at_percent, start, remind_before=None) -> Timers:
    """When a matter is due, counted from ``start`` (the moment it reached the tier), and
    when to remind: ``remind_before`` units before the deadline if given, else at a
    percentage of the time. N working days before the limit is the (limit - N)-th
    working day after the start."""
    if unit == LimitUnit.HOURS:
        deadline = start + timedelta(hours=limit)
        if remind_before:
            return Timers(deadline=deadline, remind_at=deadline - timedelta(hours=remind_before))
    else:
        deadline = add_working_days(start, limit)
        if remind_before:
            return Timers(deadline=deadline, remind_at=add_working_days(start, max(limit - remind_before, 0)))
    return Timers(deadline=deadline, remind_at=start + (deadline - start) * remind_at_percent / 100)


def case_timers(*, kind, category_id, tier, start) -> Timers:
    rule = rule_for(kind=kind, category_id=category_id, tier=tier)
    if rule is None:
        return timers_for(
            limit=FALLBACK_WORKING_DAYS[tier], unit=LimitUnit.WORKING_DAYS,
            remind_at_percent=FALLBACK_REMIND_PERCENT, start=start,
        )
    return timers_for(limit=rule.limit, unit=rule.unit, remind_at_percent=rule.remind_at_percent, start=start,
                      remind_before=rule.remind_before)
