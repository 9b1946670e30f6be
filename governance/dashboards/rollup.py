"""Keeping the daily summary (``MatterDay``) up to date, set-based.

A refresh finds the registration days of the matters changed since the last one
(an indexed look at ``updated_at``), and rebuilds those days' rows in one
statement: the matters of those days grouped by (day, place) and by (day, place)
with each category, channel and kind (GROUPING SETS: one pass). Beat runs it
every two minutes; ``manage.py refresh_dashboards --full`` rebuilds everything.
Readers see the old rows or the new ones, never half (one transaction), and
every figure says when the summary was last brought up to date.
"""
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from governance.cases.models import Case, CaseEvent
from governance.choices import OPEN_STATUSES, EventType
from governance.dashboards.models import MatterDay, RollupState
from governance.places.models import Region

# Matters saved by transactions that began before a refresh but committed after it
# carry an updated_at before its start: look this far back again next time.
OVERLAP = timedelta(minutes=5)
LOCK_KEY = 7_320_451  # pg advisory lock: one refresh at a time

REBUILD_SQL = """
WITH m AS (
    SELECT (c.created_at AT TIME ZONE %(tz)s)::date AS day, p.id AS place_id,
           c.category_id, c.channel, c.kind,
           c.resolved_at IS NOT NULL AS resolved,
           c.resolved_on_time IS TRUE AS on_time,
           c.resolved_tier,
           c.settled_at_first_visit IS TRUE AS first_visit,
           c.overdue_at IS NOT NULL AS overdue,
           c.visit_count > 1 AS repeat,
           c.status = ANY(%(open)s) AS open,
           EXISTS (SELECT 1 FROM {event} e WHERE e.case_id = c.id AND e.type = %(escalated)s
                   AND e.from_tier = 'village') AS esc_village,
           EXISTS (SELECT 1 FROM {event} e WHERE e.case_id = c.id AND e.type = %(escalated)s
                   AND e.from_tier = 'town') AS esc_town
    FROM {case} c
    JOIN {region} r ON r.id = c.region_id
    JOIN {region} p ON p.path = left(r.path, least(r.depth, %(village_depth)s) * %(steplen)s)
    {days_join}
)
INSERT INTO {matter_day} (day, place_id, dimension, value, registered, resolved, resolved_on_time,
    settled_village, settled_town, settled_county, settled_first_visit, escalated_village,
    escalated_town, overdue, repeat, open)
SELECT day, place_id,
       CASE WHEN GROUPING(category_id) = 0 THEN 'category' WHEN GROUPING(channel) = 0 THEN 'channel'
            WHEN GROUPING(kind) = 0 THEN 'kind' ELSE 'all' END,
       COALESCE(category_id::text, channel, kind, ''),
       count(*), count(*) FILTER (WHERE resolved), count(*) FILTER (WHERE on_time),
       count(*) FILTER (WHERE resolved_tier = 'village'), count(*) FILTER (WHERE resolved_tier = 'town'),
       count(*) FILTER (WHERE resolved_tier = 'county'), count(*) FILTER (WHERE first_visit),
       count(*) FILTER (WHERE esc_village), count(*) FILTER (WHERE esc_town),
       count(*) FILTER (WHERE overdue), count(*) FILTER (WHERE repeat), count(*) FILTER (WHERE open)
FROM m
GROUP BY GROUPING SETS ((day, place_id), (day, place_id, category_id), (day, place_id, channel),
                        (day, place_id, kind))
"""
# Only the given days: each day's range of registration times (the index on created_at serves it).
DAYS_JOIN = "JOIN unnest(%(starts)s::timestamptz[], %(ends)s::timestamptz[]) AS d (s, e) " \
            "ON c.created_at >= d.s AND c.created_at < d.e"


def _sql(days_join):
    return REBUILD_SQL.format(event=CaseEvent._meta.db_table, case=Case._meta.db_table,
                              region=Region._meta.db_table, matter_day=MatterDay._meta.db_table,
                              days_join=days_join)


def _params(**extra):
    return {"tz": timezone.get_current_timezone_name(), "open": list(OPEN_STATUSES),
            "escalated": EventType.ESCALATED.value, "village_depth": 3, "steplen": Region.steplen, **extra}


def refresh(*, full=False) -> dict:
    """Bring the summary up to date; returns {"days": n, "skipped": bool}. Safe to run
    from several workers: one refreshes, the others return at once."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                return {"days": 0, "skipped": True}
        state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
        started = timezone.now()
        if full or state.counted_until is None:
            MatterDay.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute(_sql(""), _params())
            days = None
        else:
            days = changed_days(since=state.counted_until - OVERLAP)
            if days:
                rebuild_days(days)
        state.refreshed_at = state.counted_until = started
        state.save()
    return {"days": "all" if days is None else len(days), "skipped": False}


def changed_days(*, since) -> list:
    """The local registration days of the matters saved since ``since``."""
    changed = Case.objects.filter(updated_at__gte=since).annotate(day=TruncDate("created_at"))
    return sorted(changed.order_by().values_list("day", flat=True).distinct())


def rebuild_days(days):
    """Replace the summary rows of ``days`` (local dates) from the matters."""
    starts = [timezone.make_aware(datetime.combine(day, time())) for day in days]
    ends = [start + timedelta(days=1) for start in starts]
    MatterDay.objects.filter(day__in=days).delete()
    with connection.cursor() as cursor:
        cursor.execute(_sql(DAYS_JOIN), _params(starts=starts, ends=ends))


def refreshed_at():
    """When the summary was last brought up to date (None: never)."""
    return RollupState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
