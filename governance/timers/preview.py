"""What a tier rule being edited will do, and re-timing the open matters with it.

Saving a rule changes the limit of matters that reach the tier afterwards. The
admin may also tick "re-time open matters": then every running tier clock the
rule governs is counted again from its start under the new values. The preview
shows exactly what the save will do, over the next days: how many reminders
and escalations (or overdue marks, at the county) come now, and after the save.

Both the preview and the re-timing use one plan, computed set-based: the
clocks are grouped by (category, local start date); each group's deadline and
reminder are worked out once with the calendar (working days keep the time of
day, legal days end at 24:00 of a date), and one SQL statement applies them to
every clock of the group, with reminders moved into office hours on working
days as ``calendar.at_working_time`` does. Nothing loops over the matters.
"""
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from governance.cases.models import Case
from governance.choices import Tier
from governance.timers.calendar import Days, due_after, end_of_day, legal_last_day
from governance.timers.deadlines import Limit, governing
from governance.timers.models import Clock, LimitUnit, TierRule
from governance.timers.services import TIER

PREVIEW_DAYS = 7


@dataclass(frozen=True)
class Counts:
    reminders: int = 0
    due: int = 0  # escalations at the village and town, overdue at the county


@dataclass(frozen=True)
class RulePreview:
    matters: int  # open matters the rule governs (running tier clocks)
    current: Counts  # what happens if nothing is saved
    new: Counts  # what happens after the save
    until: datetime
    escalates: bool  # True: "due" means escalation; False (county): overdue
    retime: bool  # the save re-times the open matters


def _proposed_rules(rule: TierRule):
    """{category id or None: Limit} of the rule's kind and tier with ``rule`` (unsaved values) in place."""
    saved = TierRule.objects.filter(kind=rule.kind, tier=rule.tier, is_active=True).exclude(pk=rule.pk)
    rules = {r.category_id: Limit.of_rule(r) for r in saved}
    if rule.is_active:
        rules[rule.category_id] = Limit.of_rule(rule)
    return rules


def governed_clocks(rule: TierRule):
    """Running tier clocks of open matters at the rule's kind and tier that the rule
    (with its category, or kind-wide) governs once saved."""
    clocks = Clock.objects.filter(kind=TIER, stopped_at__isnull=True, case__kind=rule.kind, case__tier=rule.tier)
    if rule.category_id is not None:
        return clocks.filter(case__category_id=rule.category_id)
    specific = TierRule.objects.filter(kind=rule.kind, tier=rule.tier, is_active=True, category__isnull=False)
    return clocks.exclude(case__category_id__in=specific.exclude(pk=rule.pk).values("category_id"))


def preview_rule(rule: TierRule, *, now=None, days=PREVIEW_DAYS, retime=False) -> RulePreview:
    """Counts for ``rule`` (unsaved form values; ``rule.pk`` set when editing) up to
    ``days`` ahead. Clocks already past their time count too: the next sweep acts on them."""
    now = now or timezone.now()
    until = now + timedelta(days=days)
    clocks = governed_clocks(rule)
    current = clocks.aggregate(
        matters=Count("id"),
        reminders=Count("id", filter=_remind_by(until)),
        due=Count("id", filter=_due_by(until)),
    )
    before = Counts(current["reminders"], current["due"])
    after = before
    if retime and current["matters"]:
        plan_sql, params = _plan(clocks, _proposed_rules(rule), rule.tier)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH plan AS ({plan_sql}) SELECT count(*) FILTER (WHERE remind_at <= %s),"
                f" count(*) FILTER (WHERE due_at <= %s) FROM plan",
                [*params, until, until],
            )
            after = Counts(*cursor.fetchone())
    return RulePreview(current["matters"], before, after, until, rule.tier != Tier.COUNTY, retime)


def _remind_by(until):
    return Q(remind_at__isnull=False, remind_at__lte=until)


def _due_by(until):
    return Q(due_at__lte=until)


@transaction.atomic
def retime_open_clocks(rule: TierRule) -> int:
    """Count every open matter the saved ``rule`` governs again from the start of its
    tier clock (reminders already sent stay sent); returns how many were re-timed."""
    clocks = governed_clocks(rule)
    plan_sql, params = _plan(clocks, _proposed_rules(rule), rule.tier)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH plan AS ({plan_sql}),
            timed AS (
                UPDATE {Clock._meta.db_table} AS k
                SET due_at = plan.due_at, "limit" = plan."limit", unit = plan.unit,
                    remind_at = plan.remind_at,
                    data = k.data || plan.data
                FROM plan WHERE k.id = plan.id
                RETURNING k.case_id, k.due_at
            )
            UPDATE {Case._meta.db_table} AS c SET deadline = timed.due_at, updated_at = %s
            FROM timed WHERE c.id = timed.case_id
            """,
            [*params, timezone.now()],
        )
        return cursor.rowcount


# -- the plan -------------------------------------------------------------------

def _plan(clocks, rules, tier):
    """SQL (and params) of the rows (id, due_at, remind_at, limit, unit, data) the
    clocks get under ``rules``: per (category, start date) group, as explained above.
    A reminder already sent is not planned again."""
    tz = timezone.get_current_timezone_name()
    groups = list(
        clocks.annotate(day=TruncDate("started_at"))  # the local date, as the calendar counts
        .values("case__category_id", "day", "paused_units").annotate(n=Count("id")).order_by()
    )
    group_rows = [_group_row(governing(rules, g["case__category_id"], tier), g["day"], g["paused_units"])
                  + (g["case__category_id"], g["day"], g["paused_units"])
                  for g in groups]
    columns = list(zip(*group_rows)) if group_rows else [[] for _ in range(12)]
    workdays = _working_days_around(groups)
    opens, closes = (time.fromisoformat(t) for t in settings.OFFICE_HOURS)
    inner, inner_params = clocks.values("id", "started_at", "case__category_id", "paused_units", "reminded_at") \
        .order_by().query.sql_with_params()
    sql = f"""
        SELECT m.id, d.due_at,
               CASE WHEN p.placed < d.due_at AND m.reminded_at IS NULL THEN p.placed END AS remind_at,
               g."limit", g.unit, g.data
        FROM ({inner}) AS m (id, started_at, category_id, paused_units, reminded_at)
        JOIN unnest(%s::bigint[], %s::varchar[], %s::jsonb[], %s::timestamptz[], %s::interval[],
                    %s::timestamptz[], %s::interval[], %s::float8[], %s::integer[],
                    %s::bigint[], %s::date[], %s::integer[])
            AS g ("limit", unit, data, due_fixed, due_offset, remind_fixed, remind_offset, remind_fraction,
                  remind_before_hours, category_id, day, paused_units)
            ON g.category_id IS NOT DISTINCT FROM m.category_id
           AND g.day = (m.started_at AT TIME ZONE %s)::date AND g.paused_units = m.paused_units
        CROSS JOIN LATERAL (SELECT COALESCE(g.due_fixed, m.started_at + g.due_offset) AS due_at) AS d
        CROSS JOIN LATERAL (SELECT COALESCE(g.remind_fixed, m.started_at + g.remind_offset,
                                            m.started_at + (d.due_at - m.started_at) * g.remind_fraction,
                                            d.due_at - make_interval(hours => g.remind_before_hours)) AS raw) AS r
        CROSS JOIN LATERAL (SELECT (r.raw AT TIME ZONE %s) AS local) AS l
        CROSS JOIN LATERAL (SELECT CASE
            WHEN r.raw IS NULL THEN NULL
            WHEN l.local::date = ANY(%s::date[]) AND l.local::time >= %s::time AND l.local::time < %s::time
                THEN r.raw
            ELSE ((SELECT min(w) FROM unnest(%s::date[]) AS w
                   WHERE w > l.local::date OR (w = l.local::date AND l.local::time < %s::time))
                  + %s::time) AT TIME ZONE %s
            END AS placed) AS p
    """
    params = [*inner_params, *map(list, columns), tz, tz, workdays, opens, closes, workdays, opens, opens, tz]
    return sql, params


def _group_row(limit: Limit, day: date, paused_units: int):
    """How a clock started on local date ``day`` is timed under ``limit``: its deadline
    as a fixed moment or an offset from its start, and its raw reminder likewise
    (or as a fraction of the time, or hours before the deadline)."""
    total = limit.limit + paused_units
    start = timezone.make_aware(datetime.combine(day, time()))
    days = Days(day, day + timedelta(days=total * 3 + 60))
    due_fixed = due_offset = remind_fixed = remind_offset = remind_fraction = before_hours = None
    if limit.unit == LimitUnit.CALENDAR_DAYS:
        due_fixed = end_of_day(legal_last_day(start, total, days))
    else:  # hours, or working days (the same time of day on a later date)
        due_offset = due_after(start, total, limit.unit, days) - start
    if limit.remind_before:
        if limit.unit == LimitUnit.WORKING_DAYS:
            remind_offset = due_after(start, max(total - limit.remind_before, 0), limit.unit, days) - start
        elif limit.unit == LimitUnit.CALENDAR_DAYS:
            remind_fixed = due_fixed - timedelta(days=limit.remind_before)
        else:
            before_hours = limit.remind_before
    elif limit.remind_percent:
        remind_fraction = limit.remind_percent / 100
    data = {"remind_percent": limit.remind_percent, "remind_before": limit.remind_before}
    return (limit.limit, limit.unit, json.dumps(data), due_fixed, due_offset, remind_fixed, remind_offset,
            remind_fraction, before_hours)


def _working_days_around(groups) -> list[date]:
    """The working days from the earliest start to well past the longest limit (a year)."""
    if not groups:
        return []
    first = min(g["day"] for g in groups)
    last = max(g["day"] for g in groups) + timedelta(days=400)
    days = Days(first, last)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)
            if days.is_working_day(first + timedelta(days=n))]
