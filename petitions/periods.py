"""The statutory periods of the 2022 信访工作条例 and how their days are counted.

Each period is a default here that an admin may change (``StatutoryPeriod``).
Calendar days count as the law counts them (民法典 arts. 200-203, done by
``governance.timers.calendar``): the day a period starts from is not counted, it
ends at 24:00 of its last day, and a last day that is a statutory holiday or a
rest day moves to the next working day (a make-up working day, 调休, is a working
day). Only the send-back period counts working days, because the law says so.
"""
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone

from governance.timers.calendar import add_working_days, legal_last_day
from governance.timers.deadlines import Limit
from governance.timers.models import LimitUnit
from petitions.choices import Period

CALENDAR, WORKING = LimitUnit.CALENDAR_DAYS, LimitUnit.WORKING_DAYS

# period -> (limit, unit, remind this many units before the end, or None)
DEFAULTS = {
    Period.FORWARD: (15, CALENDAR, 3),  # art. 22: register and forward or assign within 15 days
    Period.ACCEPTANCE: (15, CALENDAR, 3),  # art. 23: tell the petitioner within 15 days whether accepted
    Period.SEND_BACK: (5, WORKING, None),  # art. 23: object to a wrongly routed item within 5 working days
    Period.REPLY: (60, CALENDAR, 10),  # art. 34: handle within 60 days of acceptance
    Period.EXTENSION: (30, CALENDAR, None),  # art. 34: one extension of at most 30 days
    Period.REVIEW_REQUEST: (30, CALENDAR, 5),  # art. 35: ask for a review within 30 days of the reply
    Period.REVIEW: (30, CALENDAR, 5),  # art. 35: decide the review within 30 days of the request
    Period.RE_REVIEW_REQUEST: (30, CALENDAR, 5),  # art. 35: ask for a re-review within 30 days
    Period.RE_REVIEW: (30, CALENDAR, 5),  # art. 35: decide within 30 days, a hearing not counted
}


def period_limit(period) -> Limit:
    """The period as an admin set it, else its default (one small query)."""
    from petitions.models import StatutoryPeriod

    row = StatutoryPeriod.objects.filter(period=period).values_list("limit", "unit", "remind_before").first()
    limit, unit, remind_before = row or DEFAULTS[period]
    return Limit(limit, unit, remind_percent=None, remind_before=remind_before)


def ensure_default_periods(model) -> int:
    """Create the periods an admin has not set (never overwrites one). Takes the
    model so the data migration can pass its historical model."""
    created = 0
    for period, (limit, unit, remind_before) in DEFAULTS.items():
        _, was_created = model.objects.get_or_create(
            period=period, defaults={"limit": limit, "unit": unit, "remind_before": remind_before})
        created += was_created
    return created


def start_of(day: date) -> datetime:
    """00:00 local time of ``day``: a period counted from a date (received, served,
    accepted) starts there; the day itself is not counted."""
    return timezone.make_aware(datetime.combine(day, time()))


def last_day(due_at: datetime) -> date:
    """The last day of a period that ends at ``due_at`` (24:00 of that day)."""
    return timezone.localtime(due_at - timedelta(microseconds=1)).date()


def period_last_day(period, start: date) -> date:
    """The last day of ``period`` counted from ``start`` (as admins set it)."""
    limit = period_limit(period)
    if limit.unit == WORKING:
        return add_working_days(start_of(start), limit.limit).date()
    return legal_last_day(start_of(start), limit.limit)


def spoken(day: date | None) -> str:
    """A date as the center writes it (2026年10月13日 in Chinese)."""
    return formats.date_format(day, "DATE_FORMAT") if day else ""
