"""Time limits and when they run out: the tier rules' precedence, and a limit's
deadline and reminder counted in its unit (see ``calendar``)."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from governance.timers.calendar import Days, at_working_time, days_for, due_after
from governance.timers.defaults import DEFAULT_TIER_RULES
from governance.timers.models import LimitUnit, TierRule

DEFAULT_REMIND_PERCENT = 80


@dataclass(frozen=True)
class Limit:
    """A time limit as a rule states it: how long, in what unit, and when to remind
    (``remind_before`` units before the end if given, else at a percentage)."""

    limit: int
    unit: str = LimitUnit.WORKING_DAYS
    remind_percent: int | None = DEFAULT_REMIND_PERCENT
    remind_before: int | None = None

    @classmethod
    def of_rule(cls, rule) -> "Limit":
        return cls(rule.limit, rule.unit, rule.remind_at_percent, rule.remind_before)


@dataclass(frozen=True)
class Timers:
    deadline: datetime
    remind_at: datetime | None  # None: no reminder (it would fall at or after the deadline)


def fallback_limit(tier) -> Limit:
    """Until an admin has written a rule for a kind and tier: the dispute defaults."""
    limit, unit = DEFAULT_TIER_RULES["dispute"][tier]
    return Limit(limit, unit)


def governing(rules: dict, category_id, tier) -> Limit:
    """The rule that governs a category, from ``rules`` ({category id or None: Limit}
    of one kind and tier): the category's own, else the kind-wide one, else the default."""
    return rules.get(category_id) or rules.get(None) or fallback_limit(tier)


def tier_limit(*, kind, category_id, tier) -> Limit:
    """The limit a tier has for a matter of ``kind`` and ``category_id`` (one query)."""
    rules = TierRule.objects.filter(
        Q(category_id=category_id) | Q(category__isnull=True), kind=kind, tier=tier, is_active=True
    )
    return governing({rule.category_id: Limit.of_rule(rule) for rule in rules}, category_id, tier)


def timers_for(limit: Limit, start: datetime, *, paused_units=0, days: Days | None = None) -> Timers:
    """When ``limit`` counted from ``start`` runs out (plus ``paused_units`` not
    counted), and when to remind: placed in office hours on a working day, and
    dropped when that would be at or after the deadline."""
    days = days or days_for(start.date(), limit.limit + paused_units)
    total = limit.limit + paused_units
    deadline = due_after(start, total, limit.unit, days)
    if limit.remind_before:
        if limit.unit == LimitUnit.HOURS:
            remind = deadline - timedelta(hours=limit.remind_before)
        elif limit.unit == LimitUnit.CALENDAR_DAYS:
            remind = deadline - timedelta(days=limit.remind_before)
        else:  # N working days before the limit is the (limit - N)-th working day after the start
            remind = due_after(start, max(total - limit.remind_before, 0), limit.unit, days)
    elif limit.remind_percent:
        remind = start + (deadline - start) * limit.remind_percent / 100
    else:
        return Timers(deadline, None)
    remind = at_working_time(remind, days)
    return Timers(deadline, remind if remind < deadline else None)


def case_timers(*, kind, category_id, tier, start) -> Timers:
    """The deadline and reminder a matter gets on reaching ``tier`` at ``start``."""
    return timers_for(tier_limit(kind=kind, category_id=category_id, tier=tier), start)
