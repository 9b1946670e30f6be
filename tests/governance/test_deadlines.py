from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from governance.deadlines import case_timers, rule_for
from governance.models import Category, TierRule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=9):
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


def test_defaults_are_seeded_for_every_kind_and_tier(demo):
    assert TierRule.objects.filter(category__isnull=True).count() == 12
    rule = rule_for(kind="dispute", category_id=None, tier="village")
    assert (rule.limit, rule.unit, rule.remind_at_percent) == (5, "working_days", 80)


def test_a_village_dispute_over_national_day(demo):
    # Registered Wednesday 30 September 2026 09:00: 5 working days skip 1-7 October
    # and count Saturday 10 October (a make-up day): 8, 9, 10, 12, 13 -> due Tuesday 13 October.
    timers = case_timers(kind="dispute", category_id=None, tier="village", start=at(2026, 9, 30))
    assert timers.deadline == at(2026, 10, 13)
    assert timers.remind_at == at(2026, 9, 30) + (at(2026, 10, 13) - at(2026, 9, 30)) * 0.8


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
