"""The deadline sweep: reminders (催办), escalation village -> town -> county, and
overdue at the county (督办). 小事不出村、大事不出镇、矛盾不上交, made mechanical.

Due matters are claimed in batches with SELECT ... FOR UPDATE SKIP LOCKED, so
several sweeps (workers) can run at once and each action happens exactly once.
A batch is applied set-based (one UPDATE, one INSERT of events, one of
notifications to the new and the previous holder) in one transaction. If a batch fails, its matters are retried one by one; a matter that
still fails is skipped and reported, never blocking the others. Deadlines live in
the database, so nothing is lost when a worker or Redis restarts.
"""
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from governance.choices import OPEN_STATUSES, EventType, Tier
from governance.choices import NotificationKind as Notify
from governance.deadlines import case_timers
from governance.models import Case, CaseEvent, Notification, Organisation, Region
from governance.notifications import notify_many

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
NEXT_TIER = {Tier.VILLAGE: Tier.TOWN, Tier.TOWN: Tier.COUNTY}
# How many region-path steps the center of each tier sits at (county = the root).
TIER_DEPTH = {Tier.COUNTY: 1, Tier.TOWN: 2}


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
    while _escalate_batch(now, batch_size, result, centers) == batch_size:
        pass
    return result


def _remind_batch(now, batch_size, result) -> int:
    with transaction.atomic():
        claimed = list(
            Case.objects.filter(status__in=OPEN_STATUSES, remind_at__lte=now)
            .order_by("remind_at")
            .select_for_update(skip_locked=True)
            .values_list("id", "tier", "holder_id")[:batch_size]
        )
        if not claimed:
            return 0
        Case.objects.filter(id__in=[row[0] for row in claimed]).update(remind_at=None)
        CaseEvent.objects.bulk_create(
            CaseEvent(case_id=case_id, type=EventType.REMINDED, at=now, from_tier=tier, to_tier=tier,
                      to_holder_id=holder_id)
            for case_id, tier, holder_id in claimed
        )
        notify_many([
            Notification(organisation_id=holder_id, case_id=case_id, kind=Notify.REMINDED, at=now)
            for case_id, _tier, holder_id in claimed
        ])
    result.reminded += len(claimed)
    return len(claimed)


def _escalate_batch(now, batch_size, result, centers) -> int:
    failed_ids = [case_id for case_id, _ in result.failed]
    due = (
        Case.objects.filter(status__in=OPEN_STATUSES, deadline__lte=now, overdue_at__isnull=True)
        .exclude(id__in=failed_ids)
        .order_by("deadline")
    )
    try:
        with transaction.atomic():
            rows = list(
                due.select_for_update(skip_locked=True, of=("self",)).values(
                    "id", "tier", "holder_id", "kind", "category_id", "region__path"
                )[:batch_size]
            )
            _apply(rows, now, result, centers)
        return len(rows)
    except Exception:  # noqa: BLE001 - one bad matter must not block the rest
        logger.exception("escalation batch failed; retrying its matters one by one")
    # Retry each matter of the failed batch alone.
    ids = list(due.values_list("id", flat=True)[:batch_size])
    for case_id in ids:
        try:
            with transaction.atomic():
                rows = list(
                    due.filter(id=case_id).select_for_update(skip_locked=True, of=("self",)).values(
                        "id", "tier", "holder_id", "kind", "category_id", "region__path"
                    )
                )
                _apply(rows, now, result, centers)
        except Exception as error:  # noqa: BLE001
            logger.exception("matter %s could not be escalated; skipped", case_id)
            result.failed.append((case_id, str(error)))
    return batch_size if ids else 0


def _apply(rows, now, result, centers):
    """Escalate or mark overdue ``rows`` (locked): one UPDATE, one INSERT of events, one of notifications."""
    updates, events, notifications, timers = [], [], [], {}
    overdue = 0
    for row in rows:
        current = row["tier"]
        if current == Tier.COUNTY:
            updates.append(Case(id=row["id"], tier=current, holder_id=row["holder_id"], overdue_at=now))
            events.append(CaseEvent(case_id=row["id"], type=EventType.OVERDUE, at=now, from_tier=current,
                                    to_tier=current, to_holder_id=row["holder_id"]))
            notifications.append(Notification(organisation_id=row["holder_id"], case_id=row["id"],
                                              kind=Notify.OVERDUE, at=now))
            overdue += 1
            continue
        target = NEXT_TIER[current]
        path = row["region__path"][: TIER_DEPTH[target] * Region.steplen]
        center_id = centers.get(path)
        if center_id is None:
            raise LookupError(f"no active {target} center above matter {row['id']}")
        key = (row["kind"], row["category_id"], target)
        if key not in timers:
            timers[key] = case_timers(kind=row["kind"], category_id=row["category_id"], tier=target, start=now)
        updates.append(Case(id=row["id"], tier=target, holder_id=center_id, deadline=timers[key].deadline,
                            remind_at=timers[key].remind_at, updated_at=now))
        events.append(CaseEvent(case_id=row["id"], type=EventType.ESCALATED, at=now, from_tier=current,
                                to_tier=target, from_holder_id=row["holder_id"], to_holder_id=center_id,
                                is_public=True))
        notifications += [
            Notification(organisation_id=center_id, case_id=row["id"], kind=Notify.ESCALATED, at=now),
            Notification(organisation_id=row["holder_id"], case_id=row["id"], kind=Notify.ESCALATED_AWAY, at=now),
        ]
    escalated = [u for u in updates if u.overdue_at is None]
    if escalated:
        Case.objects.bulk_update(escalated, ["tier", "holder", "deadline", "remind_at", "updated_at"])
    marked = [u for u in updates if u.overdue_at is not None]
    if marked:
        Case.objects.filter(id__in=[u.id for u in marked]).update(overdue_at=now, updated_at=now)
    CaseEvent.objects.bulk_create(events)
    notify_many(notifications)
    result.escalated += len(escalated)
    result.overdue += overdue
