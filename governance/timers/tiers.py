"""The tier clock's handler: 小事不出村、大事不出镇、矛盾不上交, made mechanical.

When a matter's tier limit runs out it moves to the next tier's center with a
new tier clock (village -> town -> county); at the county, with no tier above,
it is marked overdue and goes onto the leaders' supervision list (督办). Both
are written set-based for a whole batch: one statement moves the matters,
starts their new clocks, writes their events and notifies the new and the
previous holder.
"""
import json

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.cases.models import Case, CaseEvent
from governance.choices import TIER_DEPTH, EventType, Tier, next_tier
from governance.choices import NotificationKind as Notify
from governance.extensions import ClockHandler
from governance.notifications.models import Notification
from governance.notifications.services import notify_many
from governance.organisations.models import Organisation
from governance.places.models import Region
from governance.timers.calendar import days_for
from governance.timers.deadlines import tier_limit, timers_for
from governance.timers.models import Clock
from governance.timers.services import TIER, remind_spec


def on_due(rows, now, memo) -> dict:
    """Escalate or mark overdue the matters of the claimed tier clocks. The centers,
    the calendar and each (kind, category, tier)'s new timers are looked up once a sweep."""
    if "centers" not in memo:
        memo["centers"] = dict(Organisation.objects.filter(kind="center", is_active=True)
                               .values_list("region__path", "id"))
        memo["days"] = days_for(timezone.localtime(now).date(), 400)
        memo["timers"] = {}  # (kind, category, target tier) -> (Limit, Timers)
    centers, timers = memo["centers"], memo["timers"]
    moves, marked = [], []
    for row in rows:
        current = row["tier"]
        if current == Tier.COUNTY:
            marked.append(row)
            continue
        target = next_tier(current)
        center_id = centers.get(row["region_path"][: TIER_DEPTH[target] * Region.steplen])
        if center_id is None:
            raise LookupError(f"no active {target} center above matter {row['case_id']}")
        key = (row["case_kind"], row["category_id"], target)
        if key not in timers:
            limit = tier_limit(kind=row["case_kind"], category_id=row["category_id"], tier=target)
            timers[key] = limit, timers_for(limit, now, days=memo["days"])
        moves.append((row, target, center_id, *timers[key]))
    if moves:
        _move_up(moves, now)
    if marked:
        _mark_overdue(marked, now)
    return {"escalated": len(moves), "overdue": len(marked)}


def _mark_overdue(rows, now):
    Case.objects.filter(id__in=[row["case_id"] for row in rows]).update(overdue_at=now, updated_at=now)
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=row["case_id"], type=EventType.OVERDUE, at=now, from_tier=Tier.COUNTY,
                  to_tier=Tier.COUNTY, to_holder_id=row["holder_id"])
        for row in rows
    )
    notify_many([Notification(organisation_id=row["holder_id"], case_id=row["case_id"], kind=Notify.OVERDUE, at=now)
                 for row in rows])


# One statement per batch: move the matters, start their new tier clocks, notify
# the new and the previous holder, and write the timeline events. (bulk_update
# builds a CASE WHEN per field and row, and model instances cost Python time;
# this keeps 10,000 escalations within seconds.)
MOVE_UP_SQL = """
WITH v AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(from_tiers)s::varchar[], %(from_holders)s::bigint[],
                         %(tiers)s::varchar[], %(holders)s::bigint[], %(deadlines)s::timestamptz[],
                         %(remind_ats)s::timestamptz[], %(units)s::varchar[], %(limits)s::integer[],
                         %(data)s::jsonb[])
        AS v (id, from_tier, from_holder_id, tier, holder_id, deadline, remind_at, unit, "limit", data)
), moved AS (
    UPDATE {case} AS c
    SET tier = v.tier, holder_id = v.holder_id, deadline = v.deadline, updated_at = %(now)s
    FROM v WHERE c.id = v.id
    RETURNING v.*
), clocked AS (
    INSERT INTO {clock} (case_id, kind, unit, "limit", started_at, due_at, remind_at, paused_units, outcome, data)
    SELECT moved.id, %(kind)s, moved.unit, moved."limit", %(now)s, moved.deadline, moved.remind_at, 0, '',
           moved.data
    FROM moved
), notified AS (
    INSERT INTO {notification} (case_id, organisation_id, kind, at, note, delivery_attempts)
    SELECT moved.id, n.organisation_id, n.kind, %(now)s, '', 0 FROM moved
    CROSS JOIN LATERAL (VALUES (moved.holder_id, %(notify_new)s), (moved.from_holder_id, %(notify_previous)s))
        AS n (organisation_id, kind)
)
INSERT INTO {event} (case_id, type, at, from_status, to_status, from_tier, to_tier,
                     from_holder_id, to_holder_id, note, is_public, data)
SELECT id, %(escalated)s, %(now)s, '', '', from_tier, tier, from_holder_id, holder_id, '', true, '{{}}'
FROM moved
"""


def _move_up(moves, now):
    columns = {name: [] for name in ("ids", "from_tiers", "from_holders", "tiers", "holders", "deadlines",
                                     "remind_ats", "units", "limits", "data")}
    specs = {}
    for row, target, center_id, limit, timers in moves:
        if limit not in specs:
            specs[limit] = json.dumps(remind_spec(limit))
        for name, value in zip(columns, (row["case_id"], row["tier"], row["holder_id"], target, center_id,
                                         timers.deadline, timers.remind_at, limit.unit, limit.limit, specs[limit])):
            columns[name].append(value)
    sql = MOVE_UP_SQL.format(case=Case._meta.db_table, clock=Clock._meta.db_table,
                             notification=Notification._meta.db_table, event=CaseEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {
            **columns, "now": now, "kind": TIER, "escalated": EventType.ESCALATED.value,
            "notify_new": Notify.ESCALATED.value, "notify_previous": Notify.ESCALATED_AWAY.value,
        })


HANDLER = ClockHandler(kind=TIER, label=_("Tier time limit"), on_due=on_due)
