"""Working days: China's statutory holidays and make-up working days (调休),
from `chinesecalendar`, plus admin overrides (WorkdayOverride).

For a date the package does not cover (it knows 2004-2026 in version 1.11),
the rule falls back to "Monday to Friday" plus overrides; `uncovered_years`
tells the admin pages which years need overrides entered. Nothing here raises
for an uncovered date.
"""
from datetime import date, datetime, timedelta

import chinese_calendar
from django.utils import timezone

from governance.timers.models import WorkdayOverride

# A generous window for override look-ups: 30 working days never span more
# than about 60 calendar days, even across the Spring Festival.
_LOOKAHEAD_DAYS = 3


def _package_says(day: date) -> bool | None:
    """True/False from chinesecalendar, or None where it has no data."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def is_working_day(day: date, overrides: dict[date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = dict(WorkdayOverride.objects.filter(date=day).values_list("date", "is_working_day"))
    if day in overrides:
        return overrides[day]
    known = _package_says(day)
    return known if known is not None else day.weekday() < 5


def add_working_days(start: datetime, count: int) -> datetime:
    """The same local time on the ``count``-th working day after ``start``'s date.

    The start day itself is not counted (as the law counts periods), so a
    matter registered on Friday with 1 working day is due on Monday at the
    same time, or later if Monday is a holiday.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if timezone.is_aware(start):
        start = timezone.localtime(start)  # count local (Asia/Shanghai) dates, not UTC ones
    first, last = start.date(), start.date() + timedelta(days=count * _LOOKAHEAD_DAYS + 30)
    overrides = dict(
        WorkdayOverride.objects.filter(date__gt=first, date__lte=last).values_list("date", "is_working_day")
    )
    day, remaining = first, count
    while remaining:
        day += timedelta(days=1)
        if day > last:  # pathological overrides (weeks of holidays): widen and go on
            overrides.update(
                WorkdayOverride.objects.filter(date__gt=last, date__lte=last + timedelta(days=60)).values_list(
                    "date", "is_working_day"
                )
            )
            last += timedelta(days=60)
        if is_working_day(day, overrides):
            remaining -= 1
    return start + timedelta(days=(day - first).days)


def uncovered_years(years) -> list[int]:
    """Which of ``years`` the statutory calendar package has no data for."""
    return [year for year in years if _package_says(date(year, 6, 1)) is None]
