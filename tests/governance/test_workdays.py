"""Working-day arithmetic: statutory holidays, make-up days, admin overrides, fallback."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.models import WorkdayOverride
from governance.timers.calendar import add_working_days, is_provisional, is_working_day, provisional_years

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=9):
    return datetime(y, m, d, hour, 0, tzinfo=SHANGHAI)


def test_national_day_holiday_is_skipped(db):
    # 2026: 1-7 October off; Thursday 8, Friday 9 and Saturday 10 (make-up) are working days.
    assert add_working_days(at(2026, 9, 30), 1) == at(2026, 10, 8)
    assert add_working_days(at(2026, 9, 30), 3) == at(2026, 10, 10)
    assert add_working_days(at(2026, 9, 29), 5) == at(2026, 10, 12)


def test_make_up_sunday_counts(db):
    # Sunday 20 September 2026 is a make-up working day.
    assert add_working_days(at(2026, 9, 18), 1) == at(2026, 9, 20)


def test_utc_input_counts_local_dates(db):
    # 23:30 Shanghai on Friday 2026-03-06 is 15:30 UTC the same day.
    start = at(2026, 3, 6, 23).replace(minute=30).astimezone(ZoneInfo("UTC"))
    assert add_working_days(start, 1) == at(2026, 3, 9, 23).replace(minute=30)


def test_an_uncovered_year_takes_the_public_holidays_by_rule_and_overrides(db):
    assert provisional_years([2026, 2027]) == [2027]
    assert is_provisional(date(2027, 1, 1)) and not is_provisional(date(2026, 12, 31))
    # Friday 2027-01-01 is New Year's Day by the `holidays` package's rules; Monday
    # 8 February 2027 falls in its Spring Festival; no make-up working days are known.
    assert not is_working_day(date(2027, 1, 1)) and not is_working_day(date(2027, 2, 8))
    assert not is_working_day(date(2027, 1, 9))  # a Saturday
    WorkdayOverride.objects.create(date=date(2027, 1, 9), is_working_day=True, note="调休")
    # Thursday 2026-12-31 + 1 -> Monday 4 January (Friday off, weekend).
    assert add_working_days(at(2026, 12, 31), 1) == at(2027, 1, 4)
    # Friday 2027-01-08 + 1 -> Saturday 9 January, a make-up day.
    assert add_working_days(at(2027, 1, 8), 1) == at(2027, 1, 9)


def test_override_beats_the_package(db):
    WorkdayOverride.objects.create(date=date(2026, 10, 8), is_working_day=False, note="县里的节日")
    assert add_working_days(at(2026, 9, 30), 1) == at(2026, 10, 9)


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(at(2026, 1, 5), -1)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2028, 12, 1)),
    count=st.integers(min_value=0, max_value=30),
)
def test_properties(start, count):
    start = start.replace(tzinfo=SHANGHAI)
    due = add_working_days(start, count)
    assert due.time() == start.time() and due >= start
    days = [start.date() + timedelta(days=i) for i in range(1, (due.date() - start.date()).days + 1)]
    assert sum(is_working_day(d) for d in days) == count
    if count:
        assert is_working_day(due.date())


def test_admin_warns_about_uncovered_years(client, staff):
    client.force_login(staff("admin"))
    response = client.get("/admin/governance/workdayoverride/")
    assert response.status_code == 200
    from django.utils import timezone

    next_year = str(timezone.localdate().year + 1)  # chinesecalendar 1.11 stops at 2026
    assert next_year in response.content.decode() and "调休" in response.content.decode()
