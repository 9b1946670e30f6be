from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from governance.timers.deadlines import case_timers, tier_limit
from governance.models import Category, TierRule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=9):
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


def test_defaults_are_seeded_for_every_kind_and_tier(demo):
    assert TierRule.objects.filter(category__isnull=True).count() == 12
    limit = tier_limit(kind="dispute", category_id=None, tier="village")
    assert (limit.limit, limit.unit, limit.remind_percent) == (5, "working_days", 80)


def test_a_village_dispute_over_national_day(demo):
    # Registered Wednesday 30 September 2026 09:00: 5 working days skip 1-7 October
    # and count Saturday 10 October (a make-up day): 8, 9, 10, 12, 13 -> due Tuesday 13 October.
    timers = case_timers(kind="dispute", category_id=None, tier="village", start=at(2026, 9, 30))
    assert timers.deadline == at(2026, 10, 13)
    # 80 % of the time is Saturday 10 October 18:36, a make-up working day but after office
    # hours: the reminder goes out when Monday 12 October's office hours begin.
    assert at(2026, 9, 30) + (at(2026, 10, 13) - at(2026, 9, 30)) * 0.8 == at(2026, 10, 10, 18).replace(minute=36)
    assert timers.remind_at == at(2026, 10, 12, 8).replace(minute=30)


def test_category_rule_beats_the_kind_rule(demo):
    labour = Category.objects.get(code="labour")
    TierRule.objects.create(kind="dispute", category=labour, tier="village", limit=48, unit="hours",
                            remind_at_percent=50)
    timers = case_timers(kind="dispute", category_id=labour.pk, tier="village", start=at(2026, 3, 2))
    assert timers.deadline == at(2026, 3, 4) and timers.remind_at == at(2026, 3, 3)
    other = Category.objects.get(code="neighbourhood")
    assert case_timers(kind="dispute", category_id=other.pk, tier="village", start=at(2026, 3, 2)).deadline == (
        at(2026, 3, 9))


def test_inactive_rule_falls_back(demo):
    TierRule.objects.filter(kind="dispute", tier="town", category__isnull=True).update(is_active=False)
    timers = case_timers(kind="dispute", category_id=None, tier="town", start=at(2026, 3, 2))
    assert timers.deadline == at(2026, 3, 16)  # the built-in 10 working days
    assert timers.deadline - timers.remind_at == (at(2026, 3, 16) - at(2026, 3, 2)) * 0.2 + timedelta(0)


def test_petition_county_limit_is_sixty_calendar_days(demo):
    timers = case_timers(kind="petition", category_id=None, tier="county", start=at(2026, 3, 2))
    assert timers.deadline == at(2026, 5, 1)


def test_a_reminder_one_working_day_before_the_limit(demo):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from governance.timers.deadlines import case_timers
    from governance.models import TierRule

    TierRule.objects.filter(kind="dispute", tier="village", category=None).update(remind_before=1)
    start = datetime(2026, 9, 28, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # Monday before National Day
    timers = case_timers(kind="dispute", category_id=None, tier="village", start=start)
    # Working days: 29, 30 September, (holiday 1-7 October), 8, 9, and Saturday 10 October (made up).
    shanghai = ZoneInfo("Asia/Shanghai")
    assert timers.deadline == datetime(2026, 10, 10, 9, 0, tzinfo=shanghai)
    assert timers.remind_at == datetime(2026, 10, 9, 9, 0, tzinfo=shanghai)  # one working day before


def test_remind_before_must_come_before_the_limit(demo):
    import pytest
    from django.core.exceptions import ValidationError

    from governance.models import TierRule

    rule = TierRule(kind="dispute", tier="town", limit=3, unit="working_days", remind_before=3)
    with pytest.raises(ValidationError) as raised:
        rule.clean()
    assert "remind_before" in raised.value.message_dict
