"""The one sweep over every clock: reminders before a limit, and the action of
each clock kind when its limit runs out (tier escalation village -> town ->
county is one such kind; apps register theirs in ``governance.extensions``).

Due clocks are claimed in batches with SELECT ... FOR UPDATE SKIP LOCKED (the
clock and its matter), so several sweeps (workers) can run at once and each
clock fires exactly once. A batch is one transaction: the claimed clocks are
stopped as "missed", and each kind's handler acts on its rows set-based. If a
batch fails it is retried clock by clock; a clock that still fails is skipped
and reported, never blocking the others. Clocks live in the database, so
nothing is lost when a worker or Redis dies: the next sweep claims what is left.
"""
import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from governance import extensions
from governance.cases.models import Case, CaseEvent
from governance.choices import EventType
from governance.choices import NotificationKind as Notify
from governance.notifications.models import Notification
from governance.notifications.services import notify_many
from governance.places.models import Region
from governance.timers.models import Clock

logger = logging.getLogger(__name__)
BATCH_SIZE = 500

# Claim a batch in one statement: lock the clocks and their matters, skipping rows
# another sweep (or a person changing the matter, who locks the matter first)
# holds, and mark them done (a due clock stopped as missed; a reminder cleared).
# What a handler gets for each clock: the clock and its matter, no model instances.
CLAIM_SQL = """
WITH claimed AS (
    SELECT k.id, k.case_id, k.kind, k.due_at, k.started_at, k.data,
           c.tier, c.holder_id, c.kind AS case_kind, c.category_id, r.path AS region_path
    FROM {clock} k JOIN {case} c ON c.id = k.case_id JOIN {region} r ON r.id = c.region_id
    WHERE k.stopped_at IS NULL AND k.paused_at IS NULL AND k.{moment} <= %(now)s
      AND NOT (k.id = ANY(%(skip)s)) {only}
    ORDER BY k.{moment}
    LIMIT %(limit)s
    FOR UPDATE OF k, c SKIP LOCKED
), marked AS (
    UPDATE {clock} AS k SET {mark} FROM claimed WHERE k.id = claimed.id
)
SELECT * FROM claimed
"""
MARK = {
    "due_at": "stopped_at = %(now)s, outcome = 'missed'",
    "remind_at": "remind_at = NULL, reminded_at = %(now)s",
}


@dataclass
class SweepResult:
    reminded: int = 0
    fired: Counter = field(default_factory=Counter)  # clock kind -> clocks that ran out
    counts: Counter = field(default_factory=Counter)  # what the handlers did, e.g. escalated, overdue
    failed: list = field(default_factory=list)  # (clock id, error)
    memos: dict = field(default_factory=dict, repr=False)  # clock kind -> the handler's memo for this sweep

    def memo(self, kind) -> dict:
        return self.memos.setdefault(kind, {})

    @property
    def escalated(self) -> int:
        return self.counts["escalated"]

    @property
    def overdue(self) -> int:
        return self.counts["overdue"]


def sweep_clocks(*, now=None, batch_size=BATCH_SIZE) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    while _claim_and_apply("remind_at", now, batch_size, result, _remind) == batch_size:
        pass
    while _claim_and_apply("due_at", now, batch_size, result, _fire) == batch_size:
        pass
    return result


def _claim(moment, now, *, limit, skip=(), only=None):
    sql = CLAIM_SQL.format(clock=Clock._meta.db_table, case=Case._meta.db_table, region=Region._meta.db_table,
                           moment=moment, mark=MARK[moment], only="AND k.id = %(only)s" if only is not None else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"now": now, "skip": list(skip), "only": only, "limit": limit})
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    for row in rows:  # Django leaves jsonb undecoded on raw cursors (its JSONField decodes)
        if isinstance(row["data"], str):
            row["data"] = json.loads(row["data"])
    return rows


def _claim_and_apply(moment, now, batch_size, result, apply) -> int:
    """One batch of due reminders (moment "remind_at") or due clocks ("due_at")."""
    failed = [clock_id for clock_id, _ in result.failed]
    try:
        with transaction.atomic():
            _relax_commit()
            rows = _claim(moment, now, limit=batch_size, skip=failed)
            apply(rows, now, result)
        return len(rows)
    except Exception:  # noqa: BLE001 - one bad clock must not block the rest
        logger.exception("clock batch failed; retrying its clocks one by one")
    ids = [row["id"] for row in _peek(moment, now, batch_size, failed)]
    for clock_id in ids:
        try:
            with transaction.atomic():
                apply(_claim(moment, now, limit=1, skip=failed, only=clock_id), now, result)
        except Exception as error:  # noqa: BLE001
            logger.exception("clock %s could not be handled; skipped", clock_id)
            result.failed.append((clock_id, str(error)))
            failed.append(clock_id)
    return batch_size if ids else 0


def _relax_commit():
    """Commit this batch without waiting for the WAL flush. Should the PostgreSQL
    server itself crash within that instant, the batch is lost whole (its clocks
    not stopped either), and the next sweep does it again: never half, never twice.
    A worker dying changes nothing: its batch was committed or never was."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")


def _peek(moment, now, limit, skip):
    """The next due clocks without locking them (to retry a failed batch one by one)."""
    return Clock.objects.filter(stopped_at__isnull=True, paused_at__isnull=True, **{f"{moment}__lte": now}) \
        .exclude(id__in=skip).order_by(moment).values("id")[:limit]


def _by_kind(rows):
    groups = defaultdict(list)
    for row in rows:
        groups[row["kind"]].append(row)
    return groups


def _fire(rows, now, result):
    """The claimed clocks ran out (the claim stopped them as missed): each kind's handler acts."""
    for kind, group in _by_kind(rows).items():
        handler = extensions.clock_handler(kind)
        if handler is None:
            logger.error("no handler for clock kind %r; %s clocks stopped as missed", kind, len(group))
        else:
            result.counts.update(handler.on_due(group, now, result.memo(kind)) or {})
        result.fired[kind] += len(group)


def _remind(rows, now, result):
    """Reminders due: cleared once claimed; sent only while the limit has not run
    out (a clock past its limit gets its action, not a reminder beside it)."""
    pending = [row for row in rows if row["due_at"] > now]
    for kind, group in _by_kind(pending).items():
        handler = extensions.clock_handler(kind)
        if handler is not None and handler.on_remind is not None:
            handler.on_remind(group, now, result.memo(kind))
        else:
            standard_reminders(group, now, note="" if handler is None else str(handler.label))
    result.reminded += len(pending)


def standard_reminders(rows, now, *, note=""):
    """A timeline event and a notice to the holder's desk for each reminded clock."""
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=row["case_id"], type=EventType.REMINDED, at=now, from_tier=row["tier"],
                  to_tier=row["tier"], to_holder_id=row["holder_id"], note=note, data={"clock": row["kind"]})
        for row in rows
    )
    notify_many([
        Notification(organisation_id=row["holder_id"], case_id=row["case_id"], kind=Notify.REMINDED, at=now,
                     due_at=row["due_at"], note=note)
        for row in rows
    ])
