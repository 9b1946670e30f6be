"""Which days are working days, and how a time limit is counted in each unit.

Where a day's status comes from, first match wins:
1. a year whose official schedule an admin loaded (``HolidaySchedule``): its
   listed holidays and make-up working days (调休), every other day by weekday;
2. a single-date ``WorkdayOverride`` (e.g. a local holiday);
3. ``chinesecalendar`` (the State Council's schedules; version 1.11 knows 2004-2026);
4. the ``holidays`` package, which computes China's public holidays by rule for
   later years (no make-up working days: not the official schedule);
5. Monday to Friday.

A date decided by 4 or 5 is *provisional*: deadlines that reach into such a
year are marked so wherever they are shown, until the official schedule is
loaded. Nothing here raises for a date no source covers.

Units (``LimitUnit``): working days keep the time of day and do not count the
start day; hours are plain hours; calendar days count as the law does
(民法典 arts. 200-203): the start day is not counted, the period ends at 24:00
of its last day, and a last day that is a statutory holiday or rest day moves to
the next working day (a make-up Saturday is a working day, so it stays).
"""
import math
import time as time_module
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar
import holidays as holiday_rules
from django.conf import settings
from django.utils import timezone

from governance.timers.models import HolidaySchedule, LimitUnit, WorkdayOverride

# How far ahead to fetch overrides in one query: N working days rarely span more
# than 3N calendar days, even across the Spring Festival; the walk widens if not.
_LOOKAHEAD_FACTOR = 3


@lru_cache(maxsize=16384)
def _package_says(day: date) -> bool | None:
    """True/False from chinesecalendar, or None where it has no data (the package's
    data never changes in a process, and each call scans its tables: remembered)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


@lru_cache(maxsize=64)
def _rule_holidays(year: int) -> frozenset:
    """China's public holidays of ``year`` by the ``holidays`` package's rules."""
    return frozenset(holiday_rules.China(years=year, categories=("public",)).keys())


def package_covers(year: int) -> bool:
    return _package_says(date(year, 6, 1)) is not None


class Days:
    """What the database says about a stretch of dates: single overrides and the
    years with an admin-loaded official schedule. Loaded in one go for a range
    and widened on demand, so a computation costs one or two queries."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, first - timedelta(days=1)
        self.overrides, self.scheduled_years = {}, set()
        self._load(first, last)

    def _load(self, first: date, last: date):
        self.overrides.update(
            WorkdayOverride.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_working_day")
        )
        self.scheduled_years |= set(HolidaySchedule.objects.filter(year__gte=first.year, year__lte=last.year)
                                    .values_list("year", flat=True))
        self.first, self.last = min(self.first, first), max(self.last, last)

    def _cover(self, day: date):
        if day > self.last:
            self._load(self.last + timedelta(days=1), max(day, self.last + timedelta(days=60)))
        elif day < self.first:
            self._load(day, self.first - timedelta(days=1))

    def is_working_day(self, day: date) -> bool:
        self._cover(day)
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.scheduled_years:
            return day.weekday() < 5
        known = _package_says(day)
        if known is not None:
            return known
        return day.weekday() < 5 and day not in _rule_holidays(day.year)

    def is_provisional(self, day: date) -> bool:
        self._cover(day)
        return day.year not in self.scheduled_years and not package_covers(day.year)


def days_for(start: date, count: int = 0) -> Days:
    """A Days loaded wide enough for a limit of ``count`` days from ``start``."""
    return Days(start, start + timedelta(days=count * _LOOKAHEAD_FACTOR + 30))


def is_working_day(day: date) -> bool:
    return Days(day, day).is_working_day(day)


def is_provisional(day: date) -> bool:
    """True when ``day``'s status comes from rules, not an official schedule."""
    return Days(day, day).is_provisional(day)


def provisional_years(years) -> list[int]:
    """Which of ``years`` have neither chinesecalendar data nor a loaded official schedule."""
    years = sorted(set(years))
    if not years:
        return []
    scheduled = set(HolidaySchedule.objects.filter(year__in=years).values_list("year", flat=True))
    return [year for year in years if year not in scheduled and not package_covers(year)]


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _next_working_day(days: Days, day: date, count: int = 1) -> date:
    """The ``count``-th working day after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if days.is_working_day(day):
            count -= 1
    return day


def add_working_days(start: datetime, count: int, days: Days | None = None) -> datetime:
    """The same local time on the ``count``-th working day after ``start``'s date
    (the start day itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    start = _local(start)
    days = days or days_for(start.date(), count)
    last = _next_working_day(days, start.date(), count)
    return start + timedelta(days=(last - start.date()).days)


def count_working_days(after: date, through: date, days: Days | None = None) -> int:
    """Working days in (after, through]."""
    if through <= after:
        return 0
    days = days or Days(after, through)
    return sum(days.is_working_day(after + timedelta(days=n)) for n in range(1, (through - after).days + 1))


def legal_last_day(start: datetime, count: int, days: Days | None = None) -> date:
    """The last day of a period of ``count`` calendar days from ``start``, as the
    law counts: the start day is not counted, and a last day that is a holiday or
    rest day moves to the next working day."""
    if count < 0:
        raise ValueError("count must not be negative")
    first = _local(start).date()
    days = days or days_for(first, count)
    last = first + timedelta(days=count)
    while not days.is_working_day(last):
        last += timedelta(days=1)
    return last


def end_of_day(day: date) -> datetime:
    """24:00 of ``day`` (the next day's 00:00), local time: when a legal period ends."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))


def due_after(start: datetime, limit: int, unit: str, days: Days | None = None) -> datetime:
    """When a limit of ``limit`` ``unit`` counted from ``start`` runs out."""
    if unit == LimitUnit.HOURS:
        return start + timedelta(hours=limit)
    if unit == LimitUnit.CALENDAR_DAYS:
        return end_of_day(legal_last_day(start, limit, days))
    return add_working_days(start, limit, days)


def units_between(start: datetime, end: datetime, unit: str) -> int:
    """How many ``unit`` lie between two moments, rounded up: how far a pause
    pushes a clock's limit (time for a hearing is not counted)."""
    if end <= start:
        return 0
    if unit == LimitUnit.HOURS:
        return math.ceil((end - start).total_seconds() / 3600)
    first, last = _local(start).date(), _local(end).date()
    if unit == LimitUnit.CALENDAR_DAYS:
        return (last - first).days
    return count_working_days(first, last)


def _office_hours():
    opens, closes = settings.OFFICE_HOURS
    return time.fromisoformat(opens), time.fromisoformat(closes)


def at_working_time(moment: datetime, days: Days | None = None) -> datetime:
    """``moment`` if it falls in office hours on a working day, else the start of
    the next working day's office hours: a reminder reaches people at work."""
    opens, closes = _office_hours()
    local = _local(moment)
    day = local.date()
    days = days or days_for(day)
    if days.is_working_day(day) and opens <= local.time() < closes:
        return moment
    if not (days.is_working_day(day) and local.time() < opens):
        day = _next_working_day(days, day)
    return timezone.make_aware(datetime.combine(day, opens))


_scheduled_years = {"at": 0.0, "years": frozenset()}
_SCHEDULE_CACHE_SECONDS = 60


def scheduled_years() -> frozenset:
    """Years with a loaded official schedule (a tiny table, read at most once a minute
    per process): for marking deadlines provisional in lists without a query a row."""
    if time_module.monotonic() - _scheduled_years["at"] > _SCHEDULE_CACHE_SECONDS:
        _scheduled_years["years"] = frozenset(HolidaySchedule.objects.values_list("year", flat=True))
        _scheduled_years["at"] = time_module.monotonic()
    return _scheduled_years["years"]


def forget_scheduled_years():
    _scheduled_years["at"] = 0.0


def deadline_is_provisional(moment: datetime | None) -> bool:
    """True when ``moment``'s year has neither chinesecalendar data nor a loaded official
    schedule: the days counted to it may still change when the State Council publishes."""
    if moment is None:
        return False
    year = _local(moment).year
    return not package_covers(year) and year not in scheduled_years()
