"""What-if for a tier rule being edited: how many open matters would get a
reminder, escalate (village, town) or go overdue (county) in the next days under
the edited values, against the rules as saved.

"Current" is what governs each matter today, chosen as ``deadlines.rule_for``
does (the category's rule, else the kind-wide one, else the built-in default);
"new" is the same with the edited rule in place. Both sides are recomputed the
same way, from the moment each matter reached its tier (its latest created /
dispatched / escalated / assigned-down event), so the comparison is like for like.

A county holds millions of matters, so nothing loops over them in Python: one
GROUP BY gives the (category, local date) groups the matters reached the tier on
(a few hundred; categories x days at worst); the deadline offset of each group is
computed here with ``timers_for`` (working days depend on the date, not the time
of day); one more query counts the matters against those offsets.
"""
from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from governance.choices import EventType, Tier
from governance.timers.deadlines import FALLBACK_REMIND_PERCENT, FALLBACK_WORKING_DAYS, timers_for
from governance.cases.models import Case, CaseEvent
from governance.timers.models import LimitUnit, TierRule

PREVIEW_DAYS = 7
# The events after which a matter's clock at its tier starts again (see services.moves, escalation).
TIER_ENTRY_EVENTS = [EventType.CREATED, EventType.DISPATCHED, EventType.ESCALATED, EventType.ASSIGNED_DOWN]

Values = namedtuple("Values", "limit unit remind_at_percent remind_before")


@dataclass(frozen=True)
class Counts:
    reminders: int = 0
    due: int = 0  # escalations at the village and town, overdue at the county


@dataclass(frozen=True)
class RulePreview:
    matters: int  # open matters the rule governs (with a deadline, not yet overdue)
    current: Counts
    new: Counts
    until: datetime
    escalates: bool  # True: "due" means escalation; False (county): overdue


def preview_rule(rule: TierRule, *, now=None, days=PREVIEW_DAYS) -> RulePreview:
    """Counts for ``rule`` (unsaved form values; ``rule.pk`` set when editing) up to ``days`` ahead.

    Matters whose time is already past count too: the next sweep acts on them.
    """
    now = now or timezone.now()
    until = now + timedelta(days=days)
    saved = TierRule.objects.filter(kind=rule.kind, tier=rule.tier, is_active=True)
    current = {r.category_id: _values(r) for r in saved}
    proposed = {r.category_id: _values(r) for r in saved if r.pk != rule.pk}
    if rule.is_active:
        proposed[rule.category_id] = _values(rule)

    matters = _governed_matters(rule, specific=[c for c in proposed if c is not None])
    groups = list(matters.values("category_id", "day").annotate(n=Count("id")).order_by())
    escalates = rule.tier != Tier.COUNTY
    if not groups:
        return RulePreview(0, Counts(), Counts(), until, escalates)

    offsets, timers = {}, {}  # (category, day) -> (current due, current remind, new due, new remind)
    for group in groups:
        category, day = group["category_id"], group["day"]
        pair = _governing(current, category, rule.tier), _governing(proposed, category, rule.tier)
        for values in pair:
            if (values, day) not in timers:  # one calendar walk per rule version and day
                timers[values, day] = _offsets(values, day)
        offsets[category, day] = (*timers[pair[0], day], *timers[pair[1], day])
    cur_reminders, cur_due, new_reminders, new_due = _count(matters, offsets, until)
    return RulePreview(
        matters=sum(group["n"] for group in groups),
        current=Counts(cur_reminders, cur_due),
        new=Counts(new_reminders, new_due),
        until=until,
        escalates=escalates,
    )


def _values(rule) -> Values:
    return Values(rule.limit, rule.unit, rule.remind_at_percent, rule.remind_before)


def _governing(rules, category_id, tier) -> Values:
    """As ``deadlines.rule_for``: the category's rule, else the kind-wide one, else the built-in default."""
    return rules.get(category_id) or rules.get(None) or Values(
        FALLBACK_WORKING_DAYS[tier], LimitUnit.WORKING_DAYS, FALLBACK_REMIND_PERCENT, None
    )


def _governed_matters(rule, *, specific):
    """Open matters at the rule's tier that the rule governs, annotated with when
    (``entered_at``) and on which local date (``day``) they reached the tier.

    Like the sweep, only matters with a deadline that are not yet marked overdue.
    """
    matters = Case.objects.open().filter(
        kind=rule.kind, tier=rule.tier, deadline__isnull=False, overdue_at__isnull=True
    )
    if rule.category_id is not None:
        matters = matters.filter(category_id=rule.category_id)
    else:  # a kind-wide rule: every category without a specific rule of its own
        matters = matters.exclude(category_id__in=specific)
    entered = (
        CaseEvent.objects.filter(case=OuterRef("pk"), type__in=TIER_ENTRY_EVENTS)
        .order_by("-at")
        .values("at")[:1]
    )
    return matters.annotate(
        entered_at=Coalesce(Subquery(entered), "created_at"),
        day=TruncDate("entered_at"),  # the local date, as add_working_days counts
    )


def _offsets(values: Values, day) -> tuple[timedelta, timedelta]:
    """How long after reaching the tier on ``day`` the deadline and the reminder fall.

    Working days keep the time of day, so the offset is the same for any time on that date.
    """
    start = timezone.make_aware(datetime.combine(day, time()))
    timers = timers_for(limit=values.limit, unit=values.unit, remind_at_percent=values.remind_at_percent,
                        start=start, remind_before=values.remind_before)
    return timers.deadline - start, timers.remind_at - start


def _count(matters, offsets, until):
    """One pass over the matters, joined to the per-group offsets passed as arrays.

    The matters are MATERIALIZED so each one's entry time (a subquery on its
    timeline) is looked up once, not once per use below; its local date is taken
    as TruncDate does in the grouping query. A reminder counts only
    while it is still pending (the sweep clears ``remind_at`` once sent).
    """
    sql, params = matters.values("category_id", "entered_at", "remind_at").order_by().query.sql_with_params()
    keys = list(offsets)
    columns = list(zip(*offsets.values()))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH m AS MATERIALIZED ({sql})
            SELECT
                count(*) FILTER (WHERE m.remind_at IS NOT NULL AND m.entered_at + g.cur_remind <= %s),
                count(*) FILTER (WHERE m.entered_at + g.cur_due <= %s),
                count(*) FILTER (WHERE m.remind_at IS NOT NULL AND m.entered_at + g.new_remind <= %s),
                count(*) FILTER (WHERE m.entered_at + g.new_due <= %s)
            FROM m JOIN unnest(%s::bigint[], %s::date[], %s::interval[], %s::interval[], %s::interval[], %s::interval[])
                AS g(category_id, day, cur_due, cur_remind, new_due, new_remind)
                ON g.category_id = m.category_id AND g.day = (m.entered_at AT TIME ZONE %s)::date
            """,
            [*params, *[until] * 4, [k[0] for k in keys], [k[1] for k in keys], *map(list, columns),
             timezone.get_current_timezone_name()],
        )
        return cursor.fetchone()
