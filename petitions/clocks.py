"""The petition's statutory periods as clocks of the core's clock table: which
clock each step runs, how each deadline is shown (a last day and the days left),
and what the one sweep does when a reminder or a period is due.

Two kinds of period:
- what an organ owes (forward, acceptance, reply, review, re-review): a reminder
  before the end; at the end, if the step was not taken, the petition is overdue
  and goes on the leaders' supervision list (督办), and counts in the backlog (积案);
- what the petitioner may do (ask for a review or a re-review): at the end of the
  window without a request, the opinion stands and the petition is concluded.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.cases.models import Case, CaseEvent
from governance.choices import OPEN_STATUSES, EventType
from governance.choices import NotificationKind as Notify
from governance.extensions import ClockHandler, register_clock_handler
from governance.notifications.models import Notification
from governance.notifications.services import notify_many
from governance.timers.calendar import deadline_is_provisional
from governance.timers.models import Clock, ClockOutcome
from governance.timers.services import clock_start, clock_stop
from petitions.choices import Period, Step
from petitions.periods import last_day, period_limit, spoken, start_of


@dataclass(frozen=True)
class Deadline:
    field: str  # the API's name for it
    kind: str  # the clock kind
    period: str
    label: str
    owed_by_organ: bool  # else: the petitioner's window
    window_from: str = ""  # for a window: the step it concludes


DEADLINES = (
    Deadline("forward_due", "petitions.forward", Period.FORWARD, gettext_lazy("Forward (art. 22)"), True),
    Deadline("acceptance_due", "petitions.acceptance", Period.ACCEPTANCE,
             gettext_lazy("Decide on acceptance (art. 23)"), True),
    Deadline("reply_due", "petitions.reply", Period.REPLY, gettext_lazy("Reply (art. 34)"), True),
    Deadline("review_request_due", "petitions.review_request", Period.REVIEW_REQUEST,
             gettext_lazy("Petitioner may ask for a review (art. 35)"), False, Step.REPLIED),
    Deadline("review_due", "petitions.review", Period.REVIEW, gettext_lazy("Decide the review (art. 35)"), True),
    Deadline("re_review_request_due", "petitions.re_review_request", Period.RE_REVIEW_REQUEST,
             gettext_lazy("Petitioner may ask for a re-review (art. 35)"), False, Step.REVIEWED),
    Deadline("re_review_due", "petitions.re_review", Period.RE_REVIEW,
             gettext_lazy("Decide the re-review (art. 35)"), True),
)
BY_FIELD = {d.field: d for d in DEADLINES}
BY_KIND = {d.kind: d for d in DEADLINES}
ORGAN_KINDS = [d.kind for d in DEADLINES if d.owed_by_organ]
FORWARD, ACCEPTANCE, REPLY, REVIEW_REQUEST, REVIEW, RE_REVIEW_REQUEST, RE_REVIEW = (d.kind for d in DEADLINES)


def start(case, kind, day):
    """Start ``kind``'s period counted from ``day`` (received, forwarded, accepted, served)."""
    return clock_start(case=case, kind=kind, limit=period_limit(BY_KIND[kind].period), start=start_of(day),
                       data={"app": "petitions", "from": day.isoformat()})


def stop(case, *kinds, on=None):
    """The step that ends ``kinds``' periods was taken on ``on`` (a date; default
    today): met if on or before the last day (or while paused for a hearing), else
    missed. A period the sweep already ended as missed, whose step is registered
    afterwards but was taken in time (a request received by post on the last day),
    is met after all."""
    for kind in kinds:
        clock = Clock.objects.filter(case=case, kind=kind).order_by("-started_at", "-id").first()
        if clock is None:
            continue
        in_time = on is None or clock.paused_at is not None or on <= last_day(clock.due_at)
        if clock.stopped_at is None:
            clock_stop(case=case, kind=kind, outcome=ClockOutcome.MET if in_time else ClockOutcome.MISSED)
        elif clock.outcome == ClockOutcome.MISSED and on is not None and in_time:
            Clock.objects.filter(pk=clock.pk).update(outcome=ClockOutcome.MET)


def cancel(case, *kinds):
    for kind in kinds:
        clock_stop(case=case, kind=kind, outcome=ClockOutcome.CANCELLED)


def due_summary(clock, today) -> dict | None:
    """How a deadline reads: its last day, the days left (while it runs; frozen while
    paused), its state and whether the holidays counted are still provisional."""
    if clock is None:
        return None
    last = last_day(clock.due_at)
    if clock.stopped_at is not None:
        days_left = None
    elif clock.paused_at is not None:
        days_left = (last - timezone.localtime(clock.paused_at).date()).days
    else:
        days_left = (last - today).days
    return {"date": last, "days_left": days_left, "state": clock.state,
            "provisional": deadline_is_provisional(clock.due_at)}


def deadlines(case, today=None) -> dict:
    """{api field: summary or None} for every statutory deadline of the petition's
    matter: the latest clock of each kind (prefetch ``case.clocks`` for lists)."""
    today = today or timezone.localdate()
    latest = {}
    for clock in sorted(case.clocks.all(), key=lambda c: (c.started_at, c.pk)):
        latest[clock.kind] = clock
    return {d.field: due_summary(latest.get(d.kind), today) for d in DEADLINES}


def labelled_deadlines(case, today=None) -> list[dict]:
    """The deadlines that apply, with their labels, for pages."""
    summaries = deadlines(case, today)
    shown = []
    for d in DEADLINES:
        summary = summaries[d.field]
        if summary is not None:
            late = -summary["days_left"] if summary["days_left"] is not None and summary["days_left"] < 0 else 0
            shown.append({"label": d.label, "field": d.field, "owed": d.owed_by_organ, "days_late": late,
                          **summary})
    return shown


# -- the sweep ------------------------------------------------------------------------

def on_remind(rows, now, memo):
    """A reminder before each deadline: on the timeline and at the holder's desk."""
    today = timezone.localtime(now).date()
    with translation.override(settings.LANGUAGE_CODE):  # timeline notes are kept in the center's language
        notes = {}
        for row in rows:
            deadline, last = BY_KIND[row["kind"]], last_day(row["due_at"])
            notes[row["id"]] = _("%(period)s: the period ends on %(date)s (%(days)s days left).") % {
                "period": deadline.label, "date": spoken(last), "days": (last - today).days}
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=row["case_id"], type=EventType.REMINDED, at=now, from_tier=row["tier"],
                  to_tier=row["tier"], to_holder_id=row["holder_id"], note=notes[row["id"]],
                  data={"app": "petitions", "clock": row["kind"]})
        for row in rows
    )
    notify_many([Notification(organisation_id=row["holder_id"], case_id=row["case_id"], kind=Notify.REMINDED,
                              at=now, note=notes[row["id"]]) for row in rows])


def on_due(rows, now, memo) -> dict:
    """The sweep groups rows by kind, so all ``rows`` are of one kind."""
    deadline = BY_KIND[rows[0]["kind"]]
    if deadline.owed_by_organ:
        return _missed(rows, now, deadline)
    return _lapsed(rows, now, deadline)


def _missed(rows, now, deadline) -> dict:
    """An organ's period ran out with the step not taken (a step taken in time stops
    its clock first): the petition is overdue, on the supervision list (the core's
    ``overdue_at``) and in the backlog, and the holder is told."""
    from petitions.models import Petition

    ids = [row["case_id"] for row in rows]
    Petition.objects.filter(case_id__in=ids, overdue_since__isnull=True).update(overdue_since=now)
    Case.objects.filter(id__in=ids, status__in=OPEN_STATUSES).update(overdue_at=now, updated_at=now)
    with translation.override(settings.LANGUAGE_CODE):
        notes = {row["id"]: _("%(period)s: the period ended on %(date)s without the step being taken. The petition "
                              "is overdue and on the supervision list.")
                 % {"period": deadline.label, "date": spoken(last_day(row["due_at"]))} for row in rows}
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=row["case_id"], type=EventType.OVERDUE, at=now, from_tier=row["tier"], to_tier=row["tier"],
                  to_holder_id=row["holder_id"], note=notes[row["id"]], data={"app": "petitions", "clock": row["kind"]})
        for row in rows
    )
    notify_many([Notification(organisation_id=row["holder_id"], case_id=row["case_id"], kind=Notify.OVERDUE, at=now,
                              note=notes[row["id"]]) for row in rows])
    return {"petitions_overdue": len(rows)}


def _lapsed(rows, now, deadline) -> dict:
    """The petitioner's window closed without a request: the opinion stands and the
    petition is concluded (办结), on the window's last day. A set-based change of
    step, which the step trigger allows (replied/reviewed -> concluded)."""
    from petitions.models import Petition

    by_day = defaultdict(list)
    for row in rows:
        by_day[last_day(row["due_at"])].append(row["case_id"])
    for day, ids in by_day.items():
        Petition.objects.filter(case_id__in=ids, step=deadline.window_from).update(
            step=Step.CONCLUDED, concluded_on=day, updated_at=now)
    with translation.override(settings.LANGUAGE_CODE):
        if deadline.window_from == Step.REPLIED:
            text = _("No review was asked for by %(date)s: the handling opinion stands and the petition is concluded.")
        else:
            text = _("No re-review was asked for by %(date)s: the review opinion stands and the petition is "
                     "concluded.")
        notes = {row["id"]: text % {"date": spoken(last_day(row["due_at"]))} for row in rows}
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=row["case_id"], type=EventType.STEP, at=now, note=notes[row["id"]], is_public=True,
                  data={"app": "petitions", "step": "concluded", "clock": row["kind"]})
        for row in rows
    )
    notify_many([Notification(organisation_id=row["holder_id"], case_id=row["case_id"], kind=Notify.MESSAGE, at=now,
                              note=notes[row["id"]]) for row in rows])
    return {"petitions_concluded": len(rows)}


def register_handlers():
    for deadline in DEADLINES:
        register_clock_handler(ClockHandler(kind=deadline.kind, label=deadline.label, on_due=on_due,
                                            on_remind=on_remind))
