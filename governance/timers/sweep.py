"""The deadline sweep: reminders (催办), escalation village -> town -> county, and
overdue at the county (督办). 小事不出村、大事不出镇、矛盾不上交, made mechanical.

Due matters are claimed in batches with SELECT ... FOR UPDATE SKIP LOCKED, so
several sweeps (workers) can run at once and each action happens exactly once.
A batch is applied set-based in one transaction: escalations in one statement
that moves the matters, writes their events and notifies the new and the
previous holder. If a batch fails, its matters are retried one by one; a matter
that still fails is skipped and reported, never blocking the others. Deadlines live in
the database, so nothing is lost when a worker or Redis restarts.
"""
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from governance.choices import OPEN_STATUSES, TIER_DEPTH, EventType, Tier, next_tier
from governance.choices import NotificationKind as Notify
from governance.timers.deadlines import case_timers
from governance.cases.models import Case, CaseEvent
from governance.notifications.models import Notification
from governance.organisations.models import Organisation
from governance.places.models import Region
from governance.notifications import notify_many

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
# How many region-path steps the center of each tier sits at (county = the root).


@dataclass
class SweepResult:
    reminded: int = 0
    escalated: int = 0
    overdue: int = 0
    failed: list = field(default_factory=list)


def sweep_deadlines(*, now=None, batch_size=BATCH_SIZE) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    while _remind_batch(now, batch_size, result) == batch_size:
        pass
    centers = dict(
        Organisation.objects.filter(kind="center", is_active=True).values_list("region__path", "id")
    )
    timers = {}  # (kind, category, target tier) -> Timers; the same ``now`` for every batch
    while _escalate_batch(now, batch_size, result, centers, timers) == batch_size:
        pass
    return result


def _remind_batch(now, batch_size, result) -> int:
    with transaction.atomic():
        claimed = list(
            Case.objects.filter(status__in=OPEN_STATUSES, remind_at__lte=now)
            .order_by("remind_at")
            .select_for_update(skip_locked=True)
            .values_list("id", "tier", "holder_id", "deadline")[:batch_size]
        )
        if not claimed:
            return 0
        Case.objects.filter(id__in=[row[0] for row in claimed]).update(remind_at=None)
        CaseEvent.objects.bulk_create(
            CaseEvent(case_id=case_id, type=EventType.REMINDED, at=now, from_tier=tier, to_tier=tier,
                      to_holder_id=holder_id)
            for case_id, tier, holder_id, _deadline in claimed
        )
        notify_many([
            Notification(organisation_id=holder_id, case_id=case_id, kind=Notify.REMINDED, at=now, due_at=deadline)
            for case_id, _tier, holder_id, deadline in claimed
        ])
    result.reminded += len(claimed)
    return len(claimed)


CLAIM_FIELDS = ("id", "tier", "holder_id", "kind", "category_id", "region__path")


def _escalate_batch(now, batch_size, result, centers, timers) -> int:
    failed_ids = [case_id for case_id, _ in result.failed]
    due = (
        Case.objects.filter(status__in=OPEN_STATUSES, deadline__lte=now, overdue_at__isnull=True)
        .exclude(id__in=failed_ids)
        .order_by("deadline")
    )
    try:
        with transaction.atomic():
            rows = list(due.select_for_update(skip_locked=True, of=("self",)).values(*CLAIM_FIELDS)[:batch_size])
            _apply(rows, now, result, centers, timers)
        return len(rows)
    except Exception:  # noqa: BLE001 - one bad matter must not block the rest
        logger.exception("escalation batch failed; retrying its matters one by one")
    # Retry each matter of the failed batch alone.
    ids = list(due.values_list("id", flat=True)[:batch_size])
    for case_id in ids:
        try:
            with transaction.atomic():
                rows = list(due.filter(id=case_id).select_for_update(skip_locked=True, of=("self",))
                            .values(*CLAIM_FIELDS))
                _apply(rows, now, result, centers, timers)
        except Exception as error:  # noqa: BLE001
            logger.exception("matter %s could not be escalated; skipped", case_id)
            result.failed.append((case_id, str(error)))
    return batch_size if ids else 0


def _apply(rows, now, result, centers, timers):
    """Escalate or mark overdue ``rows`` (locked), set-based, without model instances."""
    moves, marked = [], []
    for row in rows:
        current = row["tier"]
        if current == Tier.COUNTY:
            marked.append((row["id"], row["holder_id"]))
            continue
        target = next_tier(current)
        center_id = centers.get(row["region__path"][: TIER_DEPTH[target] * Region.steplen])
        if center_id is None:
            raise LookupError(f"no active {target} center above matter {row['id']}")
        key = (row["kind"], row["category_id"], target)
        if key not in timers:
            timers[key] = case_timers(kind=row["kind"], category_id=row["category_id"], tier=target, start=now)
        moves.append((row["id"], current, row["holder_id"], target, center_id, timers[key].deadline,
                      timers[key].remind_at))
    if moves:
        _move_up(moves, now)
    if marked:
        Case.objects.filter(id__in=[case_id for case_id, _ in marked]).update(overdue_at=now, updated_at=now)
        CaseEvent.objects.bulk_create(
            CaseEvent(case_id=case_id, type=EventType.OVERDUE, at=now, from_tier=Tier.COUNTY,
                      to_tier=Tier.COUNTY, to_holder_id=holder_id)
            for case_id, holder_id in marked
        )
        notify_many([Notification(organisation_id=holder_id, case_id=case_id, kind=Notify.OVERDUE, at=now)
                     for case_id, holder_id in marked])
    result.escalated += len(moves)
    result.overdue += len(marked)


# One statement per batch: move the matters, notify the new and the previous holder,
# and write the timeline events. (bulk_update builds a CASE WHEN per field and row,
# and model instances cost Python time; this keeps 10,000 escalations within seconds.)
MOVE_UP_SQL = """
WITH v AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(from_tiers)s::varchar[], %(from_holders)s::bigint[],
                         %(tiers)s::varchar[], %(holders)s::bigint[], %(deadlines)s::timestamptz[],
                         %(remind_ats)s::timestamptz[])
        AS v (id, from_tier, from_holder_id, tier, holder_id, deadline, remind_at)
), moved AS (
    UPDATE {case} AS c
    SET tier = v.tier, holder_id = v.holder_id, deadline = v.deadline, remind_at = v.remind_at,
        updated_at = %(now)s
    FROM v WHERE c.id = v.id
    RETURNING v.*
), notified AS (
    INSERT INTO {notification} (case_id, organisation_id, kind, at, note)
    SELECT moved.id, n.organisation_id, n.kind, %(now)s, '' FROM moved
    CROSS JOIN LATERAL (VALUES (moved.holder_id, %(notify_new)s), (moved.from_holder_id, %(notify_previous)s))
        AS n (organisation_id, kind)
)
INSERT INTO {event} (case_id, type, at, from_status, to_status, from_tier, to_tier,
                     from_holder_id, to_holder_id, note, is_public, data)
SELECT id, %(escalated)s, %(now)s, '', '', from_tier, tier, from_holder_id, holder_id, '', true, '{{}}'
FROM moved
"""


def _move_up(moves, now):
    ids, from_tiers, from_holders, tiers, holders, deadlines, remind_ats = (list(c) for c in zip(*moves))
    sql = MOVE_UP_SQL.format(case=Case._meta.db_table, notification=Notification._meta.db_table,
                             event=CaseEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {
            "ids": ids, "from_tiers": from_tiers, "from_holders": from_holders, "tiers": tiers,
            "holders": holders, "deadlines": deadlines, "remind_ats": remind_ats, "now": now,
            "escalated": EventType.ESCALATED.value, "notify_new": Notify.ESCALATED.value,
            "notify_previous": Notify.ESCALATED_AWAY.value,
        })
